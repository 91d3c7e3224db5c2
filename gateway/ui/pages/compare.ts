/**
 * Two versions side by side: line rows for text and markdown (or JSON as text), field rows for
 * JSON. Unchanged rows are always rendered, and hidden by the changed-only toggle, so the
 * toggle works with or without the script.
 */
import { attr, html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { paths } from '../paths.js';
import { authorLabel, plural, sourceLabel, timeTag, versionMarkers } from '../format.js';
import { docCrumbs, docName } from './docTitle.js';
import { statsOf, type FieldRow, type FieldValue, type LineCell, type LineRow, type Part } from '../../../lib/diff/rows.js';
import type { DocAddress, UiContext } from '../context.js';
import type { Version } from '../../../lib/types.js';

/** `coarse`: past the diff's edit budget, both sides are paired whole (see lib/diff/lines.ts). */
export type CompareMode = { view: 'lines'; rows: LineRow[]; coarse?: boolean } | { view: 'fields'; rows: FieldRow[]; coarse?: boolean };

export interface CompareView {
  ctx: UiContext;
  doc: DocAddress;
  siteName: string;
  left: Version;
  right: Version;
  mode: CompareMode;
  /** The contents are JSON, so both views are on offer. */
  isJson: boolean;
  changedOnly: boolean;
  canWrite: boolean;
  /** The comments panel of the right-hand version (pages/review.ts). */
  panel?: SafeHtml;
}

function partsHtml(parts: Part[], markClass: 'add' | 'del'): SafeHtml {
  return html`${parts.map((part) => (part.changed ? html`<mark class="${markClass}">${part.text}</mark>` : part.text))}`;
}

const SIGNS = { add: html`<span class="sign" aria-hidden="true">+</span><span class="sr-only">added: </span>`, del: html`<span class="sign" aria-hidden="true">−</span><span class="sr-only">removed: </span>` };

function lineCell(cell: LineCell | undefined, side: 'left' | 'right', op: LineRow['op']): SafeHtml {
  if (!cell) return html`<td class="no"></td><td class="code ${side}"><span class="sr-only">(no line)</span></td>`;
  const changed = op !== 'equal';
  const kind = side === 'left' ? 'del' : 'add';
  const text = cell.parts ? partsHtml(cell.parts, kind) : cell.text;
  return html`<td class="no">${cell.no}</td><td class="code ${side}">${changed ? SIGNS[kind] : ''}${text}</td>`;
}

/**
 * The table body: each row rendered, with a "⋯ N unchanged lines ⋯" marker before every run of
 * equal rows (the changed-only toggle hides equal rows and leaves the markers).
 */
function bodyWithSkips<R extends { op: string }>(rows: R[], colspan: number, noun: string, render: (row: R) => SafeHtml): SafeHtml[] {
  const body: SafeHtml[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]!.op === 'equal' && rows[i - 1]?.op !== 'equal') {
      let run = 0;
      while (rows[i + run]?.op === 'equal') run++;
      body.push(html`<tr class="row-skip"><td colspan="${colspan}">⋯ ${plural(run, noun)} ⋯</td></tr>`);
    }
    body.push(render(rows[i]!));
  }
  return body;
}

function lineTable(rows: LineRow[], left: Version, right: Version): SafeHtml {
  const body = bodyWithSkips(rows, 4, 'unchanged line', (row) => html`<tr class="row-${row.op}">${lineCell(row.left, 'left', row.op)}${lineCell(row.right, 'right', row.op)}</tr>`);
  return html`<table class="diff diff-lines">
<caption class="sr-only">Lines of version ${left.number} (left) and version ${right.number} (right)</caption>
<colgroup><col class="no"><col><col class="no"><col></colgroup>
<thead><tr><th scope="col" colspan="2">Version ${left.number}</th><th scope="col" colspan="2">Version ${right.number}</th></tr></thead>
<tbody>${body}</tbody></table>`;
}

function valueHtml(value: FieldValue | undefined, kind: 'add' | 'del'): SafeHtml {
  if (!value) return html`<span class="empty-value">(not present)</span>`;
  if (value.parts) return partsHtml(value.parts, kind);
  if (value.literal) return html`<span class="literal">${value.text}</span>`;
  if (value.text === '') return html`<span class="empty-value">(empty text)</span>`;
  return html`${value.text}`;
}

function fieldTable(rows: FieldRow[], left: Version, right: Version): SafeHtml {
  const body = bodyWithSkips(rows, 3, 'unchanged field', (row) => {
    const changed = row.op !== 'equal';
    const opLabel = row.op === 'add' ? 'added' : row.op === 'remove' ? 'removed' : row.op === 'change' ? 'changed' : 'unchanged';
    return html`<tr class="row-${row.op}" data-path="${row.path}">
  <th scope="row" class="path">${row.path || '(whole document)'}<span class="sr-only"> (${opLabel})</span></th>
  <td class="value left">${changed && row.before ? SIGNS.del : ''}${valueHtml(row.before, 'del')}</td>
  <td class="value right">${changed && row.after ? SIGNS.add : ''}${valueHtml(row.after, 'add')}</td>
</tr>`;
  });
  return html`<table class="diff diff-fields">
<caption class="sr-only">Fields of version ${left.number} (left) and version ${right.number} (right)</caption>
<colgroup><col class="path"><col><col></colgroup>
<thead><tr><th scope="col">Field</th><th scope="col">Version ${left.number}</th><th scope="col">Version ${right.number}</th></tr></thead>
<tbody>${body}</tbody></table>`;
}

function versionCard(view: CompareView, version: Version, side: string): SafeHtml {
  const { doc } = view;
  return html`<section class="card" aria-labelledby="side-${side}">
  <h2 id="side-${side}">${side === 'left' ? 'Left' : 'Right'}: <a href="${paths.version(doc, version.number)}">version ${version.number}</a> ${versionMarkers(version)}</h2>
  <dl>
    <dt>Message</dt><dd>${version.message || html`<span class="muted">(no message)</span>`}</dd>
    <dt>Author</dt><dd>${authorLabel(version.author)} <span class="muted">(${sourceLabel(version.source)})</span></dd>
    <dt>Saved</dt><dd>${timeTag(version.createdAt)} · ${version.kind}</dd>
  </dl>
  ${view.canWrite
    ? html`<div class="actions">
    ${version.isCurrentPublished ? '' : html`<a class="button" href="${paths.publish(doc, { ref: version.number })}">Publish version ${version.number}</a>`}
    ${version.isCurrentDraft ? '' : html`<a class="button" href="${paths.rollback(doc, { ref: version.number })}">Roll back to version ${version.number}</a>`}
  </div>`
    : ''}
</section>`;
}

function viewLink(view: CompareView, target: 'fields' | 'lines', label: string, keep: { changed?: true }): SafeHtml {
  if (view.mode.view === target) return html`<strong aria-current="true">${label}</strong>`;
  const href = paths.compare(view.doc, { from: view.left.number, to: view.right.number, view: target, ...keep });
  return html`<a href="${href}" data-keep-changed>${label}</a>`;
}

function tools(view: CompareView): SafeHtml {
  const { doc, left, right, mode } = view;
  const stats = statsOf(mode.rows);
  const unit = mode.view === 'fields' ? 'field' : 'line';
  const keep = { changed: view.changedOnly || undefined };
  return html`<form method="get" action="${paths.compare(doc, {})}" class="compare-tools" aria-label="Compare options">
  <input type="hidden" name="from" value="${left.number}"><input type="hidden" name="to" value="${right.number}">
  <label class="toggle" for="changed-only"><input type="checkbox" id="changed-only" name="changed" value="1"${attr(view.changedOnly, 'checked')}> Changed only</label>
  ${view.isJson
    ? html`<span class="view-choice">View: ${viewLink(view, 'fields', 'Fields', keep)} · ${viewLink(view, 'lines', 'Lines', keep)}
      <input type="hidden" name="view" value="${mode.view}"></span>`
    : ''}
  <button type="submit" class="no-js">Apply</button>
  <a href="${paths.compare(doc, { from: right.number, to: left.number, view: mode.view, ...keep })}" data-keep-changed>Swap sides</a>
  <p class="stats" id="compare-stats"><span class="add">+${stats.added}</span> added, <span class="del">−${stats.removed}</span> removed,
    ${plural(stats.changed, 'changed ' + unit)}, ${stats.unchanged} unchanged</p>
  <p class="sr-only" aria-live="polite" data-compare-status></p>
</form>`;
}

export function renderCompare(view: CompareView): string {
  const { doc, left, right, mode } = view;
  const same = mode.rows.every((row) => row.op === 'equal');
  const table = mode.view === 'fields' ? fieldTable(mode.rows, left, right) : lineTable(mode.rows, left, right);
  const body = html`<h1>Compare versions ${left.number} and ${right.number} <span class="muted">of ${docName(doc)}</span></h1>
<div class="compare-head">${versionCard(view, left, 'left')}${versionCard(view, right, 'right')}</div>
${tools(view)}
${same ? html`<div class="notice notice-info" role="status">These two versions have the same content.</div>` : ''}
${mode.coarse ? html`<div class="notice notice-info" role="status" data-coarse>These versions differ in too many lines to match them line by line: every old line is shown removed and every new line added.</div>` : ''}
<div class="table-scroll compare${view.changedOnly ? ' changed-only' : ''}" data-compare>${table}</div>
${view.panel ?? ''}`;
  return layout({
    title: `Compare ${left.number} and ${right.number} · ${docName(doc)}`,
    ctx: view.ctx,
    crumbs: docCrumbs(doc, view.siteName, 'Compare'),
    mainClass: 'wide',
    body,
  });
}
