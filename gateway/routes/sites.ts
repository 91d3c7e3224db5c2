/** Sites: create (admin), list (a scoped key sees only its own), get. */
import type { CreateSiteInput, Site } from '../../lib/types.js';
import { NotFoundError } from '../../lib/errors/index.js';
import { defineRoute } from '../route.js';
import { bodySchemas, listOf } from '../schemas.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const siteRoutes = [
  defineRoute<CreateSiteInput>({
    method: 'post',
    path: '/v1/sites',
    operationId: 'createSite',
    tag: 'Sites',
    summary: 'Create a site',
    description: 'Creates the site, its Git repository and its `main` and `published` branches.',
    access: 'admin',
    body: bodySchemas.createSite,
    status: 201,
    response: ref('Site'),
    handle: ({ store, body }) => store.createSite(body),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sites',
    operationId: 'listSites',
    tag: 'Sites',
    summary: 'List sites',
    description: 'A key scoped to a site sees only that site.',
    access: 'authenticated',
    status: 200,
    response: listOf('Site'),
    handle: async ({ store, principal }) => {
      if (principal?.site === undefined) return { items: await store.listSites() };
      const items: Site[] = [];
      try {
        items.push(await store.getSite(principal.site));
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
      return { items };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sites/:site',
    operationId: 'getSite',
    tag: 'Sites',
    summary: 'Get a site',
    access: 'site:read',
    status: 200,
    response: ref('Site'),
    handle: ({ store, params }) => store.getSite(params.site!),
  }),
];
