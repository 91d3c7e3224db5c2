/** The change feed of a site: JSON pages, or a Server-Sent Events stream when asked for. */
import { defineRoute } from '../route.js';
import { pageOf, querySchemas } from '../schemas.js';
import { streamEvents, wantsEventStream } from '../sse.js';

export const eventRoutes = [
  defineRoute<Record<string, never>, { after?: string; limit?: number }>({
    method: 'get',
    path: '/v1/sites/:site/events',
    operationId: 'events',
    tag: 'Events',
    summary: 'Change events',
    description:
      'Oldest first. Pass the last seen event id as `after` (or the answer\'s `next`) to poll for more. ' +
      'With `Accept: text/event-stream` the answer is a Server-Sent Events stream that stays open: each event has `id:` (the event id), ' +
      '`event:` (its action) and `data:` (the ChangeEvent); reconnect with `Last-Event-ID` to resume after it.',
    access: 'site:read',
    query: querySchemas.events,
    status: 200,
    response: pageOf('ChangeEvent'),
    handle: async ({ store, params, query, req, res }) => {
      const site = store.site(params.site!);
      if (!wantsEventStream(req)) return site.events(query);
      await streamEvents({ site, req, res, ...(query.after ? { after: query.after } : {}) });
      return undefined;
    },
  }),
];
