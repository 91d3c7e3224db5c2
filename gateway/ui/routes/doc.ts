/** A document's history, one version, and the side-by-side comparison of any two versions. */
import type { Router } from 'express';
import { ValidationError } from '../../../lib/errors/index.js';
import type { EmbeddedStore, VersionRef } from '../../../lib/types.js';
import { canWrite, contextOf } from '../context.js';
import { all, one, parseRef } from '../params.js';
import { abortOnClose } from '../../abort.js';
import type { Notice } from '../layout.js';
import { renderHistory } from '../pages/history.js';
import { renderVersion } from '../pages/version.js';
import { renderCompare, type CompareMode } from '../pages/compare.js';
import { currentVersions, loadDoc, withoutContent } from './load.js';
import { html } from '../html.js';
import { paths } from '../paths.js';
import { commentsPanel, previewsCard } from '../pages/review.js';

export const DOC_ROUTE = '/sites/:site/docs/:type/:key/:locale';
const HISTORY_PAGE_SIZE = 50;

/** The success message after an action redirected back to the history. */
function doneNotice(query: unknown): Notice | undefined {
  const done = one(query, 'done');
  const v = one(query, 'v');
  const from = one(query, 'from');
  if (!v || !/^\d+$/.test(v)) return undefined;
  if (done === 'published') return { kind: 'success', text: `Version ${v} is now published.` };
  if (done === 'rolled-back' && from && /^\d+$/.test(from)) {
    const published = one(query, 'pub') === '1' ? ' and published' : '';
    return { kind: 'success', text: `Rolled back: new version ${v} restores the content of version ${from}${published}.` };
  }
  return undefined;
}

/** Two refs from `from`/`to`, or from exactly two picked checkboxes (older on the left). */
function compareRefs(query: unknown): [VersionRef, VersionRef] {
  const picked = all(query, 'v');
  if (picked.length > 0) {
    if (picked.length !== 2) {
      throw new ValidationError(`Pick exactly two versions to compare; ${picked.length} ${picked.length === 1 ? 'was' : 'were'} picked.`, { field: 'v' });
    }
    const [a, b] = picked.map((value) => parseRef(value, 'v')) as [VersionRef, VersionRef];
    return typeof a === 'number' && typeof b === 'number' && a > b ? [b, a] : [a, b];
  }
  return [parseRef(one(query, 'from'), 'from'), parseRef(one(query, 'to'), 'to')];
}

export function mountDocRoutes(router: Router, args: { store: EmbeddedStore }): void {
  const { store } = args;

  router.get(DOC_ROUTE, async (req, res) => {
    const ctx = contextOf(res);
    const { address, site, handle } = await loadDoc(store, ctx, req);
    const cursor = one(req.query, 'cursor');
    const [page, current, labels, tags] = await Promise.all([handle.log({ limit: HISTORY_PAGE_SIZE, cursor }), currentVersions(handle), handle.labels(), handle.tags()]);
    res.type('html').send(renderHistory({
      ctx, doc: address, siteName: site.name, page, cursor, ...current, labels, tags,
      histories: Object.fromEntries(await Promise.all(labels.map(async (l) => [l.name, await handle.labelHistory(l.name)] as const))),
      canWrite: canWrite(ctx.principal, site.id), notice: doneNotice(req.query),
    }));
  });

  router.get(`${DOC_ROUTE}/versions/:ref`, async (req, res) => {
    const ctx = contextOf(res);
    const { address, site, handle } = await loadDoc(store, ctx, req);
    const version = await handle.show(parseRef(req.params.ref, 'ref'));
    const write = canWrite(ctx.principal, site.id);
    const [comments, previews] = await Promise.all([handle.comments(version.number, { all: true }), handle.previews()]);
    const back = paths.version(address, version.number);
    const review = html`<div class="with-panel"><div>${previewsCard({ ctx, doc: address, versionNumber: version.number, previews, domains: site.domains, canWrite: write, back })}</div>${commentsPanel({ ctx, doc: address, versionNumber: version.number, comments, canWrite: write, back })}</div>`;
    res.type('html').send(renderVersion({ ctx, doc: address, siteName: site.name, version, canWrite: write, review }));
  });

  router.get(`${DOC_ROUTE}/compare`, async (req, res) => {
    const ctx = contextOf(res);
    const { address, site, handle } = await loadDoc(store, ctx, req);
    const [fromRef, toRef] = compareRefs(req.query);
    const [left, right] = await Promise.all([handle.show(fromRef), handle.show(toRef)]);
    const isJson = typeof left.content !== 'string' && typeof right.content !== 'string';
    const view = isJson && one(req.query, 'view') !== 'lines' ? 'fields' : 'lines';
    const mode: CompareMode = await store.diffRows({ a: left.content, b: right.content, view, signal: abortOnClose(res) });
    const write = canWrite(ctx.principal, site.id);
    const comments = await handle.comments(right.number, { all: true });
    const back = paths.compare(address, { from: left.number, to: right.number });
    res.type('html').send(renderCompare({
      ctx, doc: address, siteName: site.name, left: withoutContent(left), right: withoutContent(right), mode, isJson,
      changedOnly: one(req.query, 'changed') === '1', canWrite: write,
      panel: commentsPanel({ ctx, doc: address, versionNumber: right.number, comments, canWrite: write, back }),
    }));
  });
}
