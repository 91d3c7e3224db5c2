/** The site picker and a site's documents. */
import type { Router } from 'express';
import type { EmbeddedStore } from '../../../lib/types.js';
import { assertCanSee, canSeeSite, contextOf } from '../context.js';
import { one } from '../params.js';
import { renderSites } from '../pages/sites.js';
import { renderDocs, type DocsQuery } from '../pages/docs.js';

const DOCS_PER_PAGE = 50;
const SEARCH_HITS = 20;

export function mountBrowseRoutes(router: Router, args: { store: EmbeddedStore }): void {
  const { store } = args;

  router.get('/sites', async (_req, res) => {
    const ctx = contextOf(res);
    const sites = (await store.listSites()).filter((site) => canSeeSite(ctx.principal, site.id));
    res.type('html').send(renderSites({ ctx, sites }));
  });

  router.get('/sites/:site', async (req, res) => {
    const ctx = contextOf(res);
    assertCanSee(ctx.principal, req.params.site);
    const site = await store.getSite(req.params.site);
    const state = one(req.query, 'state');
    const query: DocsQuery = {
      q: one(req.query, 'q'),
      type: one(req.query, 'type'),
      locale: one(req.query, 'locale'),
      state: state === 'draft' || state === 'published' ? state : undefined,
      cursor: one(req.query, 'cursor'),
    };
    const page = await store.site(site.id).docs({ ...query, limit: DOCS_PER_PAGE });
    // Search text also searches titles and bodies (full text), shown above the key matches.
    const hits = query.q && !query.cursor
      ? (await store.site(site.id).search(query.q, { ...(query.type ? { type: query.type } : {}), ...(query.locale ? { locale: query.locale } : {}), ...(query.state ? { state: query.state } : {}), limit: SEARCH_HITS })).items
      : undefined;
    res.type('html').send(renderDocs({ ctx, site, query, page, ...(hits ? { hits } : {}) }));
  });
}
