/** Branches of a site: list, create, delete, merge. Changing them needs an admin or editor key. */
import type { Author, MergeOptions } from '../../lib/types.js';
import { defineRoute } from '../route.js';
import { bodySchemas, listOf } from '../schemas.js';
import { ref } from './docHandle.js';

export const branchRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/sites/:site/branches',
    operationId: 'listBranches',
    tag: 'Branches',
    summary: 'List branches',
    access: 'site:read',
    status: 200,
    response: listOf('Branch'),
    handle: async ({ store, params }) => ({ items: await store.site(params.site!).branches() }),
  }),
  defineRoute<{ name: string; from?: string }>({
    method: 'post',
    path: '/v1/sites/:site/branches',
    operationId: 'createBranch',
    tag: 'Branches',
    summary: 'Create a branch',
    access: 'site:write',
    body: bodySchemas.createBranch,
    status: 201,
    response: ref('Branch'),
    handle: ({ store, params, body }) =>
      store.site(params.site!).createBranch(body.name, body.from === undefined ? undefined : { from: body.from }),
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/sites/:site/branches/:name',
    operationId: 'deleteBranch',
    tag: 'Branches',
    summary: 'Delete a branch',
    access: 'site:write',
    status: 204,
    handle: ({ store, params }) => store.site(params.site!).deleteBranch(params.name!),
  }),
  defineRoute<Omit<MergeOptions, 'author'> & { author?: Author | string }>({
    method: 'post',
    path: '/v1/sites/:site/branches/:name/merge',
    operationId: 'merge',
    tag: 'Branches',
    summary: 'Merge a branch',
    description: 'Merges branch `name` into `into` (default `main`); the same as `POST /v1/sites/{site}/merge` with `source`.',
    access: 'site:write',
    body: bodySchemas.merge,
    status: 200,
    response: ref('MergeResult'),
    handle: ({ store, params, body }) => {
      const { author, ...rest } = body;
      const opts = author === undefined ? rest : { ...rest, author: typeof author === 'string' ? { name: author } : author };
      return store.site(params.site!).merge(params.name!, opts);
    },
  }),
];
