/** Documents: list and search, diff, and the publication and lifecycle actions. */
import type { Author, DocsFilter, VersionRef } from '../../lib/types.js';
import { defineRoute, parseRef } from '../route.js';
import { abortOnClose } from '../abort.js';
import { bodySchemas, pageOf, querySchemas } from '../schemas.js';
import { DOC_PATH, docOf, ref } from './docHandle.js';

export const docRoutes = [
  defineRoute<Record<string, never>, DocsFilter>({
    method: 'get',
    path: '/v1/sites/:site/docs',
    operationId: 'listDocs',
    tag: 'Documents',
    summary: 'List and search documents',
    description: 'Paginated: pass the answer\'s `next` as `cursor` for the following page.',
    access: 'site:read',
    query: querySchemas.docs,
    status: 200,
    response: pageOf('DocSummary'),
    handle: ({ store, params, query }) => store.site(params.site!).docs(query),
  }),
  defineRoute<Record<string, never>, { from: string; to: string; format?: 'unified' | 'json' | 'words' }>({
    method: 'get',
    path: `${DOC_PATH}/diff`,
    operationId: 'diff',
    tag: 'Documents',
    summary: 'Compare two versions',
    description: '`from` and `to` are version references (digits are version numbers).',
    access: 'site:read',
    query: querySchemas.diff,
    status: 200,
    response: ref('Diff'),
    handle: ({ store, params, query, res }) =>
      docOf(store, params).diff(parseRef(query.from), parseRef(query.to), { format: query.format, signal: abortOnClose(res) }),
  }),
  defineRoute<{ ref?: VersionRef }>({
    method: 'post',
    path: `${DOC_PATH}/publish`,
    operationId: 'publish',
    tag: 'Documents',
    summary: 'Publish a version',
    description: 'Publishes `ref`, by default the current draft.',
    access: 'site:write-docs',
    body: bodySchemas.publish,
    status: 200,
    response: ref('Version'),
    handle: ({ store, params, body }) => docOf(store, params).publish(body.ref),
  }),
  defineRoute({
    method: 'post',
    path: `${DOC_PATH}/unpublish`,
    operationId: 'unpublish',
    tag: 'Documents',
    summary: 'Unpublish a document',
    access: 'site:write-docs',
    body: bodySchemas.empty,
    status: 204,
    handle: ({ store, params }) => docOf(store, params).unpublish(),
  }),
  defineRoute<{ to: VersionRef; message?: string; author?: Author | string; publish?: boolean }>({
    method: 'post',
    path: `${DOC_PATH}/rollback`,
    operationId: 'rollback',
    tag: 'Documents',
    summary: 'Roll back to a version',
    description: 'Creates a NEW version whose content equals `to`; history is never rewritten.',
    access: 'site:write-docs',
    body: bodySchemas.rollback,
    status: 201,
    response: ref('Version'),
    handle: ({ store, params, body }) => {
      const { to, ...opts } = body;
      return docOf(store, params).rollback(to, opts);
    },
  }),
  defineRoute({
    method: 'post',
    path: `${DOC_PATH}/archive`,
    operationId: 'archive',
    tag: 'Documents',
    summary: 'Archive a document',
    access: 'site:write-docs',
    body: bodySchemas.empty,
    status: 204,
    handle: ({ store, params }) => docOf(store, params).archive(),
  }),
];
