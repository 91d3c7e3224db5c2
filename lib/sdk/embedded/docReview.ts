/** The review methods of the embedded DocHandle (0.2): comments, tags, labels, preview links. */
import { listComments } from '../../ops/comments.js';
import { checkCall } from '../../schemas/calls.js';
import type { OpContext, SiteRef } from '../../ops/context.js';
import { label, labelHistory, listLabels, removeLabel } from '../../ops/labels.js';
import { listPreviews, revokePreview } from '../../ops/previewLinks.js';
import { deleteComment, resolveComment } from '../../ops/resolveComment.js';
import { listTags } from '../../ops/tag.js';
import type { DocAddr } from '../../ops/toVersion.js';
import type { DocReview } from '../../types.js';

export function embeddedDocReview(ctx: OpContext, resolve: () => Promise<{ site: SiteRef; doc: DocAddr }>): DocReview {
  return {
    comments: async (ref, opts) => listComments({ ctx, ref: checkCall.comments(ref, opts), ...(await resolve()), opts }),
    resolveComment: async (id, opts) => (checkCall.resolveComment(id, opts), resolveComment({ ctx, ...(await resolve()), id, opts })),
    deleteComment: async (id) => (checkCall.deleteComment(id), deleteComment({ ctx, ...(await resolve()), id })),
    tags: async () => listTags({ ctx, ...(await resolve()) }),
    label: async (name, ref, opts) => label({ ctx, ...(await resolve()), name, ref: checkCall.label(name, ref, opts), opts }),
    labels: async () => listLabels({ ctx, ...(await resolve()) }),
    labelHistory: async (name) => (checkCall.labelHistory(name), labelHistory({ ctx, ...(await resolve()), name })),
    removeLabel: async (name, opts) => (checkCall.removeLabel(name, opts), removeLabel({ ctx, ...(await resolve()), name, opts })),
    previews: async () => listPreviews({ ctx, ...(await resolve()) }),
    revokePreview: async (id) => (checkCall.revokePreview(id), revokePreview({ ctx, ...(await resolve()), id })),
  };
}
