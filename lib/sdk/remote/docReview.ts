/** The review methods of the remote DocHandle (0.2): one request each, as the embedded ones are one operation. */
import { checkCall } from '../../schemas/calls.js';
import type { Comment, DocReview, Label, LabelMove, PreviewInfo, Tag } from '../../types.js';
import { path, type Transport } from './http.js';

export function remoteDocReview(http: Transport, base: () => Promise<string>): DocReview {
  return {
    comments: async (ref, opts = {}) =>
      (checkCall.comments(ref, opts), await http.request<{ items: Comment[] }>('GET', `${await base()}${path`/versions/${ref}`}/comments`, { query: opts.all === undefined ? {} : { all: opts.all } })).items,
    resolveComment: async (id, opts = {}) => (checkCall.resolveComment(id, opts), http.request('POST', `${await base()}${path`/comments/${id}`}/resolve`, { body: opts })),
    deleteComment: async (id) => (checkCall.deleteComment(id), http.request<void>('DELETE', `${await base()}${path`/comments/${id}`}`)),
    tags: async () => (await http.request<{ items: Tag[] }>('GET', `${await base()}/tags`)).items,
    label: async (name, ref, opts = {}) => (checkCall.label(name, ref, opts), http.request<Label>('PUT', `${await base()}${path`/labels/${name}`}`, { body: { ...opts, ref } })),
    labels: async () => (await http.request<{ items: Label[] }>('GET', `${await base()}/labels`)).items,
    labelHistory: async (name) => (checkCall.labelHistory(name), await http.request<{ items: LabelMove[] }>('GET', `${await base()}${path`/labels/${name}`}/history`)).items,
    removeLabel: async (name, opts = {}) => (checkCall.removeLabel(name, opts), http.request<void>('DELETE', `${await base()}${path`/labels/${name}`}`, { body: opts })),
    previews: async () => (await http.request<{ items: PreviewInfo[] }>('GET', `${await base()}/previews`)).items,
    revokePreview: async (id) => (checkCall.revokePreview(id), http.request<void>('DELETE', `${await base()}${path`/previews/${id}`}`)),
  };
}
