/**
 * A document's history, newest first, one page of versions at a time (the store pages by
 * cursor, so a document with 10,000 versions renders as fast as one with ten).
 */
import { html, type SafeHtml } from '../html.js';
import { layout, type Notice } from '../layout.js';
import { paths } from '../paths.js';
import { authorLabel, sourceLabel, timeTag, versionMarkers } from '../format.js';
import { docCrumbs, docName } from './docTitle.js';
import type { DocAddress, UiContext } from '../context.js';
import type { Label, LabelMove, Page, Tag, Version } from '../../../lib/types.js';
import { labelsCard, refBadges } from './review.js';

export interface HistoryView {
  ctx: UiContext;
  doc: DocAddress;
  siteName: string;
  page: Page<Version>;
  cursor?: string;
  draft?: Version;
  published?: Version;
  canWrite: boolean;
  notice?: Notice;
  /** The site's locales, for the locale switcher. */
  locales?: string[];
  /** The document's title (its `title` field or first heading). */
  title?: string;
  /** How many versions the document has, on every branch. */
  total?: number;
  archived?: boolean;
  labels?: Label[];
  tags?: Tag[];
  /** Each label's moves, newest first. */
  histories?: Record<string, LabelMove[]>;
}

function rowActions(view: HistoryView, version: Version, previous: number | undefined): SafeHtml {
  const { doc } = view;
  return html`<div class="row-actions">
  <a class="button" href="${paths.version(doc, version.number)}" aria-label="View version ${version.number}">View</a>
  ${previous !== undefined ? html`<a class="button" href="${paths.compare(doc, { from: previous, to: version.number })}" aria-label="Changes in version ${version.number} since version ${previous}">Changes</a>` : ''}
  ${view.canWrite && !version.isCurrentPublished ? html`<a class="button" href="${paths.publish(doc, { ref: version.number })}" aria-label="Publish version ${version.number}">Publish</a>` : ''}
  ${view.canWrite && !version.isCurrentDraft ? html`<a class="button" href="${paths.rollback(doc, { ref: version.number })}" aria-label="Roll back to version ${version.number}">Roll back</a>` : ''}
</div>`;
}

function versionRow(view: HistoryView, version: Version, index: number): SafeHtml {
  const older = view.page.items[index + 1];
  const previous = older ? older.number : version.number > 1 ? version.number - 1 : undefined;
  const rowClass = version.isCurrentPublished ? 'is-published' : '';
  return html`<tr class="${rowClass}" data-version="${version.number}">
  <td><input type="checkbox" name="v" value="${version.number}" id="pick-${version.number}"><label class="sr-only" for="pick-${version.number}">Select version ${version.number} to compare</label></td>
  <th scope="row" class="num">${version.number}</th>
  <td class="markers">${versionMarkers(version)}${refBadges(version.number, view.labels ?? [], view.tags ?? [])}<span class="badge badge-kind">${version.kind}</span>${version.branch !== 'main' ? html`<span class="badge badge-kind">branch ${version.branch}</span>` : ''}</td>
  <td>${version.message || html`<span class="muted">(no message)</span>`}</td>
  <td>${authorLabel(version.author)}<br><span class="muted">${sourceLabel(version.source)}</span></td>
  <td data-label="Saved">${timeTag(version.createdAt)}</td>
  <td data-label="Published" data-published-at>${version.publishedAt ? timeTag(version.publishedAt) : html`<span class="muted">never</span>`}</td>
  <td>${rowActions(view, version, previous)}</td>
</tr>`;
}

function localeSwitcher(view: HistoryView): SafeHtml {
  const locales = view.locales ?? [];
  if (locales.length < 2) return html``;
  return html`<nav class="locales" aria-label="Locales of this document"><span class="muted">Locale:</span>
  ${locales.map((l) => (l === view.doc.locale ? html`<a href="${paths.doc(view.doc)}" aria-current="page">${l}</a>` : html`<a href="${paths.doc({ ...view.doc, locale: l })}" hreflang="${l}">${l}</a>`))}
</nav>`;
}

function lifecycleActions(view: HistoryView): SafeHtml {
  if (!view.canWrite) return html``;
  return html`<div class="actions">
  ${view.published ? html`<a class="button" href="${paths.unpublish(view.doc)}">Unpublish</a>` : ''}
  ${view.archived ? '' : html`<a class="button" href="${paths.archive(view.doc)}">Archive</a>`}
</div>`;
}

function summary(view: HistoryView): SafeHtml {
  const { doc, draft, published } = view;
  return html`<div class="card"><dl>
  ${view.total !== undefined ? html`<dt>Versions</dt><dd data-total>${view.total} in all${view.archived ? html` · <span class="badge badge-archived">Archived</span>` : ''}</dd>` : ''}
  <dt>Current draft</dt><dd>${draft ? html`<a href="${paths.version(doc, draft.number)}">version ${draft.number}</a> · ${timeTag(draft.createdAt)}` : html`<span class="muted">none</span>`}</dd>
  <dt>Published</dt><dd>${published ? html`<a href="${paths.version(doc, published.number)}">version ${published.number}</a> · saved ${timeTag(published.createdAt)} · published ${published.publishedAt ? timeTag(published.publishedAt) : ''}` : html`<span class="muted">not published</span>`}</dd>
</dl>
${draft && published && draft.number !== published.number
    ? html`<p><a href="${paths.compare(doc, { from: published.number, to: draft.number })}">Compare published with current draft</a></p>`
    : ''}
<p><a href="${paths.doc(doc)}/integrations">Integrations (push, pull, drift)</a></p>
${lifecycleActions(view)}
</div>`;
}

function compareByNumber(view: HistoryView): SafeHtml {
  const first = view.page.items[0]?.number ?? 1;
  const second = view.page.items[1]?.number ?? first;
  return html`<form method="get" action="${paths.compare(view.doc, {})}" class="inline-form card" aria-labelledby="any-two">
  <h2 id="any-two" class="sr-only">Compare any two versions</h2>
  <div class="field"><label for="cmp-from">Compare version</label><input id="cmp-from" type="number" name="from" min="1" required value="${second}"></div>
  <div class="field"><label for="cmp-to">with version</label><input id="cmp-to" type="number" name="to" min="1" required value="${first}"></div>
  <button type="submit">Compare</button>
</form>`;
}

export function renderHistory(view: HistoryView): string {
  const { doc, page } = view;
  const table = page.items.length
    ? html`<form method="get" action="${paths.compare(doc, {})}" data-compare-picker>
<div class="actions"><button type="submit" class="primary" data-compare-submit>Compare selected</button>
<span class="picker-status" data-picker-status aria-live="polite">Select two versions to compare them side by side.</span></div>
<div class="table-scroll"><table class="history">
<caption>Versions, newest first${view.cursor ? ' (older page)' : ''}</caption>
<thead><tr><th scope="col"><span class="sr-only">Select</span></th><th scope="col" class="num">Version</th><th scope="col">State and kind</th>
<th scope="col">Message</th><th scope="col">Author and source</th><th scope="col">Saved</th><th scope="col">Published</th><th scope="col">Actions</th></tr></thead>
<tbody>${page.items.map((version, i) => versionRow(view, version, i))}</tbody></table></div>
</form>`
    : html`<p>This document has no versions yet.</p>`;
  const pager = html`<nav class="pager" aria-label="Pages of history">
  ${view.cursor ? html`<a href="${paths.doc(doc)}">Newest versions</a>` : ''}
  ${page.next ? html`<a href="${paths.doc(doc, { cursor: page.next })}" rel="next">Older versions</a>` : ''}
</nav>`;
  const heading = html`<h1>History of ${docName(doc)}</h1>${view.title ? html`<p class="doc-title" data-doc-title>${view.title}</p>` : ''}`;
  const labels = labelsCard({ ctx: view.ctx, doc, labels: view.labels ?? [], tags: view.tags ?? [], histories: view.histories, latest: view.draft?.number, canWrite: view.canWrite, back: paths.doc(doc) });
  const body = html`${heading}${localeSwitcher(view)}${summary(view)}${labels}${page.items.length ? compareByNumber(view) : ''}${table}${pager}`;
  return layout({ title: `History of ${docName(doc)}`, ctx: view.ctx, crumbs: docCrumbs(doc, view.siteName).slice(0, 3), notice: view.notice, body });
}
