/** Versions of a document: save, history, show, and per-version comments, previews and tags. */
import type { Author, CommentInput, LogOptions, SaveInput } from '../../lib/types.js';
import { authored } from './review.js';
import { defineRoute, parseRef } from '../route.js';
import { bodySchemas, listOf, pageOf, querySchemas } from '../schemas.js';
import { DOC_PATH, docOf, ref } from './docHandle.js';

const VERSION_PATH = `${DOC_PATH}/versions/:ref`;

export const versionRoutes = [
  defineRoute<SaveInput>({
    method: 'post',
    path: `${DOC_PATH}/versions`,
    operationId: 'save',
    tag: 'Versions',
    summary: 'Save a version',
    description:
      'Every save is a Git commit. `baseVersion` gives optimistic concurrency (409 conflict when the document moved past it). ' +
      'An `Idempotency-Key` header is taken as `idempotencyKey` when the body has none: a retried save returns the first result.',
    access: 'site:write-docs',
    body: bodySchemas.save,
    status: 201,
    response: ref('Version'),
    handle: ({ store, params, body, req }) => {
      const header = req.get('Idempotency-Key');
      const input = header && body.idempotencyKey === undefined ? { ...body, idempotencyKey: header } : body;
      return docOf(store, params).save(input);
    },
  }),
  defineRoute<Record<string, never>, LogOptions>({
    method: 'get',
    path: `${DOC_PATH}/versions`,
    operationId: 'log',
    tag: 'Versions',
    summary: 'History of a document',
    description: 'Newest first, paginated with `cursor`.',
    access: 'site:read',
    query: querySchemas.log,
    status: 200,
    response: pageOf('Version'),
    handle: ({ store, params, query }) => docOf(store, params).log(query),
  }),
  defineRoute({
    method: 'get',
    path: VERSION_PATH,
    operationId: 'show',
    tag: 'Versions',
    summary: 'A version and its content',
    access: 'site:read',
    status: 200,
    response: ref('VersionWithContent'),
    handle: ({ store, params }) => docOf(store, params).show(parseRef(params.ref!)),
  }),
  defineRoute<Record<string, never>, { all?: 'true' | 'false' }>({
    method: 'get',
    path: `${VERSION_PATH}/comments`,
    operationId: 'listComments',
    tag: 'Review',
    summary: 'Comments on a version',
    description: 'With `all=true`, the comments of every version of the document, each flagged `stale` against this one.',
    access: 'site:read',
    query: querySchemas.comments,
    status: 200,
    response: listOf('Comment'),
    handle: async ({ store, params, query }) => ({ items: await docOf(store, params).comments(parseRef(params.ref!), query.all === undefined ? undefined : { all: query.all === 'true' }) }),
  }),
  defineRoute<CommentInput>({
    method: 'post',
    path: `${VERSION_PATH}/comments`,
    operationId: 'comment',
    tag: 'Review',
    summary: 'Comment on a version',
    access: 'site:write-docs',
    body: bodySchemas.comment,
    status: 201,
    response: ref('Comment'),
    handle: ({ store, params, body }) => docOf(store, params).comment(parseRef(params.ref!), body),
  }),
  defineRoute<{ expiresIn?: number; maxUses?: number; domain?: string }>({
    method: 'post',
    path: `${VERSION_PATH}/previews`,
    operationId: 'createPreview',
    tag: 'Review',
    summary: 'Create a preview link',
    description: 'The token is the credential of `GET /v1/preview/{token}`; it is shown once.',
    access: 'site:write-docs',
    body: bodySchemas.preview,
    status: 201,
    response: ref('PreviewLink'),
    handle: ({ store, params, body }) => docOf(store, params).preview(parseRef(params.ref!), body),
  }),
  defineRoute<{ name: string; message?: string; author?: Author | string }>({
    method: 'post',
    path: `${VERSION_PATH}/tags`,
    operationId: 'tag',
    tag: 'Versions',
    summary: 'Tag a version with a semantic version',
    description: 'An annotated Git tag; `message` is the changelog.',
    access: 'site:write-docs',
    body: bodySchemas.tag,
    status: 201,
    response: ref('Tag'),
    handle: ({ store, params, body, principal }) =>
      docOf(store, params).tag(parseRef(params.ref!), body.name, { ...(body.message === undefined ? {} : { message: body.message }), ...authored(body.author, principal) }),
  }),
];
