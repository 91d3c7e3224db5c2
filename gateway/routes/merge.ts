/** Site merge (three-way, per field) and site settings. Merging needs an admin or editor key; settings an admin key. */
import type { Author, MergeOptions, UpdateSiteInput } from '../../lib/types.js';
import { defineRoute } from '../route.js';
import { bodySchemas } from '../schemas.js';
import { ref } from './docHandle.js';

type MergeBody = Omit<MergeOptions, 'author'> & { source: string; author?: Author | string };

export const mergeRoutes = [
  defineRoute<MergeBody>({
    method: 'post',
    path: '/v1/sites/:site/merge',
    operationId: 'mergeSite',
    tag: 'Branches',
    summary: 'Merge a branch, per field',
    description:
      'Merges branch `source` into `into` (default `main`) in one merge commit. A document changed on both sides is merged per JSON field, ' +
      'markdown section, or text line; what both changed differently is a conflict. With policy `manual` (default: the site\'s) an unresolved ' +
      'conflict answers 409 with `details.conflicts` (MergeConflict[]) and writes nothing; `resolutions` settle conflicts by path; ' +
      '`dryRun` answers the conflicts and the would-be content without writing.',
    access: 'site:write',
    body: bodySchemas.mergeSite,
    status: 200,
    response: ref('MergeResult'),
    handle: ({ store, params, body }) => {
      const { source, author, ...rest } = body;
      const opts: MergeOptions = author === undefined ? rest : { ...rest, author: typeof author === 'string' ? { name: author } : author };
      return store.site(params.site!).merge(source, opts);
    },
  }),
  defineRoute<UpdateSiteInput>({
    method: 'patch',
    path: '/v1/sites/:site',
    operationId: 'updateSite',
    tag: 'Sites',
    summary: 'Update a site',
    description: 'Sets the name, locales, domains and merge conflict policies; fields left out keep their value.',
    access: 'site:admin',
    body: bodySchemas.updateSite,
    status: 200,
    response: ref('Site'),
    handle: ({ store, params, body }) => store.site(params.site!).update(body),
  }),
];
