/**
 * The merge page: pick a source and a target branch, see every document the merge touches, and
 * a conflict table with base / ours / theirs and a choice per row (per JSON field, markdown
 * section or text region), then merge. Works without the script: the choices are radio
 * buttons of one form, and the preview is a GET.
 */
import { attr, html, type SafeHtml } from '../html.js';
import { layout, type Notice } from '../layout.js';
import { paths } from '../paths.js';
import type { UiContext } from '../context.js';
import type { Branch, MergeConflict, MergeResult, Site, Version } from '../../../lib/types.js';

export interface MergeView {
  ctx: UiContext;
  site: Site;
  branches: Branch[];
  source?: string;
  into: string;
  /** The dry run for source → into, when both are picked. */
  plan?: MergeResult;
  /** Choices already made (a failed POST shows them again), by row index. */
  chosen?: Record<number, string>;
  merged?: Version[];
  canMerge: boolean;
  notice?: Notice;
}

const CHOICES = [
  { value: 'ours', label: 'Keep target' },
  { value: 'theirs', label: 'Take source' },
  { value: 'base', label: 'Keep base' },
] as const;

function valueCell(value: unknown, side: string): SafeHtml {
  if (value === undefined) return html`<td class="merge-value" data-side="${side}"><span class="empty-value">(absent)</span></td>`;
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return html`<td class="merge-value" data-side="${side}"><pre>${text}</pre></td>`;
}

function docLink(site: string, doc: string): SafeHtml {
  const [type = '', key = '', locale = ''] = doc.split('/');
  return html`<a href="${paths.doc({ site, type, key, locale })}">${doc}</a>`;
}

function branchSelect(id: string, name: string, label: string, branches: Branch[], selected: string | undefined): SafeHtml {
  return html`<div class="field"><label for="${id}">${label}</label><select id="${id}" name="${name}" required>
    ${selected === undefined ? html`<option value="">pick a branch</option>` : ''}
    ${branches.filter((b) => b.name !== 'published').map((b) => html`<option value="${b.name}"${attr(b.name === selected, 'selected')}>${b.name}</option>`)}
  </select></div>`;
}

function conflictRow(i: number, c: MergeConflict, chosen: string | undefined): SafeHtml {
  const name = `take-${i}`;
  return html`<tr data-conflict="${c.doc} ${c.path}">
  <th scope="row"><span class="merge-doc">${c.doc}</span><code class="merge-path">${c.path || '(whole document)'}</code>
    <input type="hidden" name="doc-${i}" value="${c.doc}"><input type="hidden" name="path-${i}" value="${c.path}"></th>
  ${valueCell(c.base, 'base')}${valueCell(c.ours, 'ours')}${valueCell(c.theirs, 'theirs')}
  <td><fieldset class="merge-choice"><legend class="sr-only">Resolution of ${c.doc} ${c.path}</legend>
    ${CHOICES.map((o) => html`<label><input type="radio" name="${name}" value="${o.value}" required${attr(chosen === o.value, 'checked')}> ${o.label}</label>`)}
  </fieldset></td>
</tr>`;
}

function planSection(view: MergeView, plan: MergeResult, source: string): SafeHtml {
  const { site } = view;
  if (!plan.documents.length) return html`<p>Nothing to merge: <strong>${view.into}</strong> already has everything on <strong>${source}</strong>.</p>`;
  const docs = html`<h2>Documents this merge touches</h2><div class="table-scroll"><table class="merge-docs">
<thead><tr><th scope="col">Document</th><th scope="col">How</th><th scope="col" class="num">Conflicts</th></tr></thead>
<tbody>${plan.documents.map((d) => html`<tr><td>${docLink(site.id, d.doc)}</td><td>${d.status === 'theirs' ? 'changed on the source only' : d.status === 'merged' ? 'changed on both: merged' : 'archived on the source'}</td><td class="num">${d.conflicts}</td></tr>`)}</tbody>
</table></div>`;
  const conflicts = plan.conflicts.length
    ? html`<h2>Conflicts <span class="muted">(${plan.conflicts.length})</span></h2>
<p>Both branches changed these places differently. Choose what the merged document keeps.</p>
<div class="table-scroll"><table class="merge-conflicts">
<thead><tr><th scope="col">Where</th><th scope="col">Base</th><th scope="col">Target (${view.into})</th><th scope="col">Source (${source})</th><th scope="col">Keep</th></tr></thead>
<tbody>${plan.conflicts.map((c, i) => conflictRow(i, c, view.chosen?.[i]))}</tbody>
</table></div>`
    : html`<p class="notice notice-info">No conflicts: the merge is clean.</p>`;
  const form = view.canMerge
    ? html`<input type="hidden" name="csrf" value="${view.ctx.csrf}"><input type="hidden" name="source" value="${source}"><input type="hidden" name="into" value="${view.into}">
<input type="hidden" name="count" value="${plan.conflicts.length}">
<div class="field"><label for="m-message">Message</label><input id="m-message" type="text" name="message" maxlength="500" size="60" value="Merge ${source} into ${view.into}"></div>
<div class="actions"><button type="submit" class="primary">Merge ${source} into ${view.into}</button></div>`
    : html`<p class="muted">Your key can read this site but not merge.</p>`;
  return html`${docs}<form method="post" action="${paths.merge(site.id)}" class="merge-form">${conflicts}${form}</form>`;
}

export function renderMerge(view: MergeView): string {
  const { site, source } = view;
  const picker = html`<form method="get" action="${paths.merge(site.id)}" class="filters" aria-label="Pick branches">
  ${branchSelect('m-source', 'source', 'Source branch', view.branches, source)}
  ${branchSelect('m-into', 'into', 'Into (target)', view.branches, view.into)}
  <button type="submit">Preview merge</button>
</form>`;
  const merged = view.merged?.length
    ? html`<ul class="merged">${view.merged.map((v) => html`<li><a href="${paths.version(v, v.number)}">${v.type}/${v.key}/${v.locale} version ${v.number}</a></li>`)}</ul>`
    : '';
  const body = html`<h1>Merge branches <span class="muted">${site.name}</span></h1>${picker}${merged}${view.plan && source ? planSection(view, view.plan, source) : ''}`;
  return layout({
    title: `Merge · ${site.name}`,
    ctx: view.ctx,
    crumbs: [{ label: 'Sites', href: paths.sites() }, { label: site.name, href: paths.site(site.id) }, { label: 'Merge' }],
    notice: view.notice,
    mainClass: 'wide',
    body,
  });
}
