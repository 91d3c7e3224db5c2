/**
 * The review loop over HTTP (0.2): resolving and deleting comments, listing tags, labels and
 * their history, preview links. A caller who names no author acts as its API key: the tagger,
 * resolver or mover is whoever called, never `verso`.
 */
import type { Author, Principal } from '../../lib/types.js';
import { defineRoute } from '../route.js';
import { bodySchemas, listOf } from '../schemas.js';
import { DOC_PATH, docOf, ref } from './docHandle.js';

/** Who called, for the records that name one. */
export function callerAuthor(given: Author | string | undefined, principal: Principal | undefined): Author | string | undefined {
  return given ?? (principal ? { name: `API key ${principal.keyId}` } : undefined);
}

/** `{ author }` for an options object, or nothing: the SDK's checks refuse an `author: undefined`. */
export function authored(given: Author | string | undefined, principal: Principal | undefined): { author?: Author | string } {
  const author = callerAuthor(given, principal);
  return author === undefined ? {} : { author };
}

export const reviewRoutes = [
  defineRoute<{ resolved?: boolean; author?: Author | string }>({
    method: 'post',
    path: `${DOC_PATH}/comments/:comment/resolve`,
    operationId: 'resolveComment',
    tag: 'Review',
    summary: 'Resolve or reopen a comment',
    description: '`resolved: false` reopens it. `resolvedBy` is `author`, or the API key when none is given.',
    access: 'site:write-docs',
    body: bodySchemas.resolveComment,
    status: 200,
    response: ref('Comment'),
    handle: ({ store, params, body, principal }) =>
      docOf(store, params).resolveComment(params.comment!, { ...body, ...authored(body.author, principal) }),
  }),
  defineRoute({
    method: 'delete',
    path: `${DOC_PATH}/comments/:comment`,
    operationId: 'deleteComment',
    tag: 'Review',
    summary: 'Delete a comment and its replies',
    access: 'site:write-docs',
    status: 204,
    handle: ({ store, params }) => docOf(store, params).deleteComment(params.comment!),
  }),
  defineRoute({
    method: 'get',
    path: `${DOC_PATH}/tags`,
    operationId: 'listTags',
    tag: 'Versions',
    summary: 'Semver tags of a document, newest first',
    access: 'site:read',
    status: 200,
    response: listOf('Tag'),
    handle: async ({ store, params }) => ({ items: await docOf(store, params).tags() }),
  }),
  defineRoute({
    method: 'get',
    path: `${DOC_PATH}/labels`,
    operationId: 'listLabels',
    tag: 'Review',
    summary: 'Labels of a document and the versions they point at',
    access: 'site:read',
    status: 200,
    response: listOf('Label'),
    handle: async ({ store, params }) => ({ items: await docOf(store, params).labels() }),
  }),
  defineRoute<{ ref: string | number; message?: string; author?: Author | string }>({
    method: 'put',
    path: `${DOC_PATH}/labels/:label`,
    operationId: 'label',
    tag: 'Review',
    summary: 'Create or move a label',
    description: 'One commit on the `labels` branch, so `git log labels` is the audit trail. Moving a label to where it is changes nothing.',
    access: 'site:write-docs',
    body: bodySchemas.label,
    status: 200,
    response: ref('Label'),
    handle: ({ store, params, body, principal }) => {
      const { ref: to, ...opts } = body;
      return docOf(store, params).label(params.label!, to, { ...opts, ...authored(opts.author, principal) });
    },
  }),
  defineRoute<{ message?: string; author?: Author | string }>({
    method: 'delete',
    path: `${DOC_PATH}/labels/:label`,
    operationId: 'removeLabel',
    tag: 'Review',
    summary: 'Remove a label (its history stays)',
    access: 'site:write-docs',
    body: bodySchemas.removeLabel,
    status: 204,
    handle: ({ store, params, body, principal }) => docOf(store, params).removeLabel(params.label!, { ...body, ...authored(body.author, principal) }),
  }),
  defineRoute({
    method: 'get',
    path: `${DOC_PATH}/labels/:label/history`,
    operationId: 'labelHistory',
    tag: 'Review',
    summary: 'Every move of a label, newest first',
    access: 'site:read',
    status: 200,
    response: listOf('LabelMove'),
    handle: async ({ store, params }) => ({ items: await docOf(store, params).labelHistory(params.label!) }),
  }),
  defineRoute({
    method: 'get',
    path: `${DOC_PATH}/previews`,
    operationId: 'listPreviews',
    tag: 'Review',
    summary: 'Preview links of a document (never their tokens)',
    access: 'site:read',
    status: 200,
    response: listOf('PreviewInfo'),
    handle: async ({ store, params }) => ({ items: await docOf(store, params).previews() }),
  }),
  defineRoute({
    method: 'delete',
    path: `${DOC_PATH}/previews/:preview`,
    operationId: 'revokePreview',
    tag: 'Review',
    summary: 'Revoke a preview link',
    access: 'site:write-docs',
    status: 204,
    handle: ({ store, params }) => docOf(store, params).revokePreview(params.preview!),
  }),
];
