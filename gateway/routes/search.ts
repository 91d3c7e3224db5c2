/** Full-text search over a site's documents. */
import type { SearchOptions } from '../../lib/types.js';
import { defineRoute } from '../route.js';
import { pageOf, webhookSchemas } from '../schemas.js';

export const searchRoutes = [
  defineRoute<Record<string, never>, SearchOptions & { q: string }>({
    method: 'get',
    path: '/v1/sites/:site/search',
    operationId: 'search',
    tag: 'Search',
    summary: 'Search titles and bodies',
    description: 'Full text, stemmed by each document\'s locale, best matches first. The current drafts by default; `state=published` the published versions; `history=true` every version.',
    access: 'site:read',
    query: webhookSchemas.search,
    status: 200,
    response: pageOf('SearchHit'),
    handle: ({ store, params, query }) => {
      const { q, ...opts } = query;
      return store.site(params.site!).search(q, opts);
    },
  }),
];
