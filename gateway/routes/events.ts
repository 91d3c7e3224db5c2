/** The change feed of a site. */
import { defineRoute } from '../route.js';
import { pageOf, querySchemas } from '../schemas.js';

export const eventRoutes = [
  defineRoute<Record<string, never>, { after?: string; limit?: number }>({
    method: 'get',
    path: '/v1/sites/:site/events',
    operationId: 'events',
    tag: 'Events',
    summary: 'Change events',
    description: 'Oldest first. Pass the last seen event id as `after` (or the answer\'s `next`) to poll for more.',
    access: 'site:read',
    query: querySchemas.events,
    status: 200,
    response: pageOf('ChangeEvent'),
    handle: ({ store, params, query }) => store.site(params.site!).events(query),
  }),
];
