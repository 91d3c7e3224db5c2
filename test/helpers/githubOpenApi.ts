/**
 * GitHub's published OpenAPI description (@octokit/openapi) as a validator: the fake GitHub of
 * the tests checks every request it handles and every answer it gives against it, so a request
 * the real API would refuse fails the test, and our fake cannot answer what GitHub would not.
 * `sample` builds an answer valid by construction (required fields only) that the fake then
 * fills with real values.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvModule, { type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;
type Schema = Record<string, any>;

const require = createRequire(import.meta.url);
const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as Schema;

// OpenAPI 3.0 puts nullable beside a $ref or an allOf; ajv wants it only beside a type.
const stripBareNullable = (node: unknown): void => {
  if (!node || typeof node !== 'object') return;
  const o = node as Schema;
  if (o.nullable !== undefined && o.type === undefined) delete o.nullable;
  for (const v of Object.values(o)) stripBareNullable(v);
};
stripBareNullable(spec);

const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true });
addFormats(ajv);
ajv.addSchema({ ...spec, $id: 'gh' });

const cache = new Map<string, ValidateFunction>();
const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function validator(pointer: string[]): ValidateFunction {
  const ref = `gh#/${pointer.map((p) => encodeURIComponent(escape(p))).join('/')}`;
  let fn = cache.get(ref);
  if (!fn) cache.set(ref, (fn = ajv.compile({ $ref: ref })));
  return fn;
}

export interface Operation {
  template: string;
  method: string;
  params: Record<string, string>;
  op: Schema;
}

const templates = Object.keys(spec.paths as object).map((t) => ({
  t,
  // {path} of the contents API spans slashes; every other parameter is one segment.
  re: new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, n: string) => (n === 'path' || n === 'ref' ? `(?<${n}>.+)` : `(?<${n}>[^/]+)`))}$`),
}));

export function findOperation(method: string, pathname: string): Operation | undefined {
  // Prefer the template with the fewest parameters (`/git/ref/{ref}` over a catch-all).
  const hits = templates
    .map(({ t, re }) => ({ t, m: re.exec(pathname) }))
    .filter((h) => h.m && spec.paths[h.t][method.toLowerCase()])
    .sort((a, b) => (a.t.match(/\{/g)?.length ?? 0) - (b.t.match(/\{/g)?.length ?? 0));
  const hit = hits[0];
  if (!hit) return undefined;
  const params = Object.fromEntries(Object.entries(hit.m!.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
  return { template: hit.t, method: method.toLowerCase(), params, op: spec.paths[hit.t][method.toLowerCase()] as Schema };
}

function deref(s: Schema): Schema {
  let cur = s;
  while (cur && typeof cur.$ref === 'string') {
    cur = (cur.$ref as string).slice(2).split('/').reduce((o: Schema, k: string) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return cur;
}

/** Problems with a request (unknown query parameters, a body the schema refuses). */
export function checkRequest(o: Operation, query: URLSearchParams, body: unknown): string[] {
  const problems: string[] = [];
  const known = new Set(((o.op.parameters ?? []) as Schema[]).map(deref).filter((p) => p.in === 'query').map((p) => p.name as string));
  for (const name of query.keys()) if (!known.has(name)) problems.push(`unknown query parameter ${name}`);
  const bodySchema = o.op.requestBody?.content?.['application/json']?.schema;
  if (bodySchema) {
    const fn = validator(['paths', o.template, o.method, 'requestBody', 'content', 'application/json', 'schema']);
    if (!fn(body)) problems.push(`body: ${ajv.errorsText(fn.errors)}`);
  } else if (body !== undefined) problems.push('this operation takes no body');
  return problems;
}

export function checkResponse(o: Operation, status: number, body: unknown): string[] {
  const response = o.op.responses?.[String(status)];
  if (!response) return [`status ${status} is not documented for ${o.method.toUpperCase()} ${o.template}`];
  const r = deref(response);
  if (!r.content?.['application/json']) return body === undefined ? [] : [`status ${status} has no JSON body`];
  const pointer = response.$ref
    ? [...(response.$ref as string).slice(2).split('/').map((k: string) => k.replace(/~1/g, '/')), 'content', 'application/json', 'schema']
    : ['paths', o.template, o.method, 'responses', String(status), 'content', 'application/json', 'schema'];
  const fn = validator(pointer);
  return fn(body) ? [] : [`response ${status}: ${ajv.errorsText(fn.errors)}`];
}

/** A value valid against the answer's schema, with only the required fields. */
export function sample(o: Operation, status: number): any {
  const r = deref(o.op.responses[String(status)]);
  return gen(r.content['application/json'].schema, 0);
}

function gen(s0: Schema, depth: number): any {
  const s = deref(s0);
  if (s.allOf) return Object.assign({}, ...(s.allOf as Schema[]).map((x) => gen(x, depth)));
  if (s.oneOf || s.anyOf) return gen((s.oneOf ?? s.anyOf)[0], depth);
  if (s.enum) return s.enum.find((v: unknown) => v !== null) ?? s.enum[0];
  if (s.nullable && depth > 6) return null;
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of (s.required ?? []) as string[]) out[k] = gen(s.properties?.[k] ?? {}, depth + 1);
      return out;
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'string':
      return s.format === 'date-time' ? '2026-01-01T00:00:00Z' : s.format === 'uri' ? 'https://github.test/x' : s.format === 'email' ? 'x@example.com' : 'x';
    default:
      return s.nullable ? null : 'x';
  }
}

/** One element of an answer that is an array (a list endpoint). */
export function sampleItem(o: Operation, status: number): any {
  const r = deref(o.op.responses[String(status)]);
  return gen(deref(r.content['application/json'].schema).items, 0);
}
