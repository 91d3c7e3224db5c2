/**
 * A readable HTML reference rendered on the server from the OpenAPI document: no scripts, no
 * CDN, one inline stylesheet.
 */
import type { OpenApiDocument, OperationObject } from './openapi.js';
import { PATTERN_TEXT, type JsonSchema } from './schemas.js';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The small Markdown subset our descriptions use: `code`, **bold**, paragraphs. */
function md(text: string | undefined): string {
  if (!text) return '';
  return text
    .split(/\n{2,}/)
    .map((para) =>
      `<p>${esc(para)
        .replace(/`([^`]+)`/g, '<code>$1</code>')
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')}</p>`,
    )
    .join('');
}

const refName = (ref: string): string => ref.split('/').pop() ?? ref;
const anchor = (name: string): string => `schema-${name}`;

/** A one-line type for a schema, linking record names. */
function typeOf(schema: JsonSchema | undefined): string {
  if (!schema || Object.keys(schema).length === 0) return 'any JSON value';
  if (typeof schema.$ref === 'string') {
    const n = refName(schema.$ref);
    return `<a href="#${anchor(n)}">${esc(n)}</a>`;
  }
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
  if (Array.isArray(schema.oneOf)) return (schema.oneOf as JsonSchema[]).map(typeOf).join(' | ');
  if (Array.isArray(schema.allOf)) return (schema.allOf as JsonSchema[]).map(typeOf).join(' &amp; ');
  if (schema.type === 'array') return `array of ${typeOf(schema.items as JsonSchema)}`;
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (schema.type === 'object' && props?.items?.type === 'array') {
    // { items, next? }: the shape of every list answer.
    return `${props.next ? 'page' : 'list'} of ${typeOf(props.items.items as JsonSchema)}: <code>{ items${props.next ? ', next?' : ''} }</code>`;
  }
  if (typeof schema.pattern === 'string' && PATTERN_TEXT[schema.pattern]) {
    return `<abbr title="${esc(schema.pattern)}">${esc(PATTERN_TEXT[schema.pattern]!)}</abbr>`;
  }
  const parts = [String(schema.type ?? 'value')];
  if (typeof schema.format === 'string') parts.push(`(${esc(schema.format)})`);
  if (typeof schema.pattern === 'string') parts.push(`matching <code>${esc(schema.pattern)}</code>`);
  if (typeof schema.minimum === 'number' || typeof schema.maximum === 'number') {
    parts.push(`${schema.minimum ?? ''}…${schema.maximum ?? ''}`);
  }
  if (typeof schema.maxLength === 'number') parts.push(`≤ ${schema.maxLength} chars`);
  return parts.join(' ');
}

function fieldsTable(schema: JsonSchema): string {
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (!props || Object.keys(props).length === 0) {
    return schema.type === 'object' && schema.additionalProperties === false ? '<p>An empty object <code>{}</code> (or no body).</p>' : `<p>${typeOf(schema)}</p>`;
  }
  const required = new Set((schema.required ?? []) as string[]);
  const rows = Object.entries(props)
    .map(
      ([name, s]) =>
        `<tr><td><code>${esc(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ''}</td><td>${typeOf(s)}</td><td>${md(
          typeof s.description === 'string' ? s.description : '',
        )}</td></tr>`,
    )
    .join('');
  const closed = schema.additionalProperties === false ? '<p class="note">Unknown fields are refused (400 invalid_input).</p>' : '';
  return `<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>${closed}`;
}

function operationHtml(method: string, path: string, op: OperationObject): string {
  const params = op.parameters ?? [];
  const paramRows = params
    .map(
      (p) =>
        `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${p.in}</td><td>${typeOf(p.schema)}</td><td>${md(p.description)}</td></tr>`,
    )
    .join('');
  const json = op.requestBody?.content['application/json'];
  const body = json ? `<h4>Body</h4>${fieldsTable(json.schema)}` : op.requestBody ? `<h4>Body</h4><p>${esc(Object.keys(op.requestBody.content).join(', '))}</p>` : '';
  const responses = Object.entries(op.responses)
    .map(([status, r]) => {
      const ref = typeof r.$ref === 'string' ? refName(r.$ref) : undefined;
      if (ref) return `<li><code>${status}</code> ${esc(ref)}</li>`;
      const content = r.content as Record<string, { schema?: JsonSchema }> | undefined;
      const [mediaType, media] = Object.entries(content ?? {})[0] ?? [];
      const schema = mediaType === 'application/json' ? media?.schema : undefined;
      if (mediaType && mediaType !== 'application/json') return `<li><code>${status}</code> ${esc(String(r.description ?? ''))} <code>${esc(mediaType)}</code></li>`;
      return `<li><code>${status}</code> ${esc(String(r.description ?? ''))}${schema ? ` ${typeOf(schema)}` : ''}</li>`;
    })
    .join('');
  const id = `op-${op.operationId}`;
  return `<section class="op" id="${id}">
<h3><a href="#${id}"><span class="m m-${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></a></h3>
<p class="summary">${esc(op.summary)}</p>${md(op.description)}
${params.length ? `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${paramRows}</tbody></table>` : ''}
${body}<h4>Responses</h4><ul>${responses}</ul></section>`;
}

/** Renders the whole reference page. */
export function renderDocsPage(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  const toc: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push(operationHtml(method, path, op));
    }
  }
  const sections = doc.tags
    .filter((t) => byTag.has(t.name))
    .map((t) => {
      toc.push(`<li><a href="#tag-${esc(t.name)}">${esc(t.name)}</a></li>`);
      return `<h2 id="tag-${esc(t.name)}">${esc(t.name)}</h2>${md(t.description)}${byTag.get(t.name)!.join('\n')}`;
    })
    .join('\n');
  const schemas = Object.entries(doc.components.schemas)
    .map(([name, s]) => `<section class="op" id="${anchor(name)}"><h3>${esc(name)}</h3>${fieldsTable(s)}</section>`)
    .join('\n');
  toc.push('<li><a href="#schemas">Records</a></li>');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} — API reference</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:980px;margin:0 auto;padding:1.5rem}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;list-style:none}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f3f4f6;padding:0 .25em;border-radius:3px}
h2{border-bottom:1px solid #d0d7de;padding-bottom:.25rem;margin-top:2.5rem}
.op{border:1px solid #d0d7de;border-radius:6px;padding:.25rem 1rem 1rem;margin:1rem 0}
.op h3 a{color:inherit;text-decoration:none}
.summary{font-weight:600}
.m{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:.1em .4em}
.m-get{background:#0b6bcb}.m-post{background:#1a7f37}.m-delete{background:#cf222e}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
td p{margin:0}
.req{color:#cf222e;font-size:12px}
.note{color:#57606a;font-size:13px}
a{color:#0b6bcb}
</style></head>
<body><main>
<h1>${esc(doc.info.title)}</h1>
${md(doc.info.description)}
<p>Machine-readable: <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI ${esc(doc.openapi)}).</p>
<nav aria-label="Sections"><ul>${toc.join('')}</ul></nav>
${sections}
<h2 id="schemas">Records</h2>
<p>Answers may carry more fields than listed; new fields are not breaking changes.</p>
${schemas}
</main></body></html>`;
}
