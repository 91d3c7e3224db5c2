/** A site's documents: filters (type, locale, state), search, cursor pages. */
import { attr, html, raw, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { paths } from '../paths.js';
import { timeTag } from '../format.js';
import type { UiContext } from '../context.js';
import type { DocSummary, Page, SearchHit, Site } from '../../../lib/types.js';

export interface DocsQuery {
  type?: string;
  locale?: string;
  state?: 'draft' | 'published';
  q?: string;
  cursor?: string;
}

export interface DocsView {
  ctx: UiContext;
  site: Site;
  query: DocsQuery;
  page: Page<DocSummary>;
  /** Full-text matches of `query.q` in titles and bodies. */
  hits?: SearchHit[];
}

function filterForm(site: Site, query: DocsQuery): SafeHtml {
  const locales = site.locales.length ? site.locales : [site.defaultLocale];
  return html`<form method="get" action="${paths.site(site.id)}" class="filters" role="search" aria-label="Filter documents">
  <div class="field"><label for="f-q">Search</label><input id="f-q" type="search" name="q" value="${query.q ?? ''}" placeholder="words in titles and bodies, or part of a key"></div>
  <div class="field"><label for="f-type">Type</label><input id="f-type" type="text" name="type" value="${query.type ?? ''}" placeholder="any" size="12"></div>
  <div class="field"><label for="f-locale">Locale</label><select id="f-locale" name="locale">
    <option value="">any</option>${locales.map((l) => html`<option value="${l}"${attr(query.locale === l, 'selected')}>${l}</option>`)}
  </select></div>
  <div class="field"><label for="f-state">State</label><select id="f-state" name="state">
    <option value="">any</option>
    <option value="draft"${attr(query.state === 'draft', 'selected')}>has a draft</option>
    <option value="published"${attr(query.state === 'published', 'selected')}>published</option>
  </select></div>
  <button type="submit" class="primary">Apply</button>
  ${query.q || query.type || query.locale || query.state ? html`<a href="${paths.site(site.id)}">Clear filters</a>` : ''}
</form>`;
}

function docRow(doc: DocSummary): SafeHtml {
  const address = { site: doc.site, type: doc.type, key: doc.key, locale: doc.locale };
  return html`<tr>
  <td><a href="${paths.doc(address)}">${doc.type}/${doc.key}</a>${doc.archived ? html` <span class="badge badge-archived">Archived</span>` : ''}</td>
  <td>${doc.locale}</td>
  <td>${doc.format}</td>
  <td class="num">${doc.latestVersion}</td>
  <td class="num">${doc.draftVersion ?? '—'}</td>
  <td class="num">${doc.publishedVersion ?? html`<span class="muted">not published</span>`}</td>
  <td>${timeTag(doc.updatedAt)}</td>
</tr>`;
}

function hitList(hits: SearchHit[]): SafeHtml {
  if (!hits.length) return html`<p class="muted">No titles or bodies match.</p>`;
  // A snippet is HTML-escaped by the store except for the <mark> around matches.
  return html`<ol class="search-hits">${hits.map((h) => html`<li>
  <a href="${paths.doc({ site: h.doc.site, type: h.doc.type, key: h.doc.key, locale: h.doc.locale })}">${h.doc.type}/${h.doc.key} <span class="muted">${h.doc.locale}, version ${h.versionNumber}</span></a>
  <p class="snippet">${raw(h.snippet)}</p>
</li>`)}</ol>`;
}

export function renderDocs(view: DocsView): string {
  const { site, query, page } = view;
  const filters = { q: query.q, type: query.type, locale: query.locale, state: query.state };
  const table = page.items.length
    ? html`<div class="table-scroll"><table>
<caption>Documents${query.cursor ? ' (continued)' : ''}</caption>
<thead><tr><th scope="col">Document</th><th scope="col">Locale</th><th scope="col">Format</th><th scope="col" class="num">Latest</th>
<th scope="col" class="num">Draft</th><th scope="col" class="num">Published</th><th scope="col">Updated</th></tr></thead>
<tbody>${page.items.map(docRow)}</tbody></table></div>`
    : html`<p>No documents match.</p>`;
  const pager = html`<nav class="pager" aria-label="Pages of documents">
  ${query.cursor ? html`<a href="${paths.site(site.id, filters)}">First page</a>` : ''}
  ${page.next ? html`<a href="${paths.site(site.id, { ...filters, cursor: page.next })}" rel="next">Next page</a>` : ''}
</nav>`;
  const found = view.hits ? html`<section aria-labelledby="hits-h"><h2 id="hits-h">Found in titles and bodies</h2>${hitList(view.hits)}</section>` : '';
  const body = html`<h1>${site.name} <span class="muted">documents</span></h1>
<p class="row-actions"><a class="button" href="${paths.merge(site.id)}">Merge branches</a></p>${filterForm(site, query)}${found}${view.hits ? html`<h2>Documents whose type or key match</h2>` : ''}${table}${pager}`;
  return layout({
    title: `${site.name} documents`,
    ctx: view.ctx,
    crumbs: [{ label: 'Sites', href: paths.sites() }, { label: site.name }],
    body,
  });
}
