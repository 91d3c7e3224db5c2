/** resolveComment / deleteComment: closing, reopening and removing a review note. */
import { deleteCommentRow, findComment, setCommentResolved } from '../db/queries/comments.js';
import { insertEvent } from '../db/queries/events.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import type { Author, Comment } from '../types.js';
import { toComment } from './comments.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { parseAuthor } from './inputs.js';
import { requireDocument } from './requireDocument.js';
import type { DocAddr } from './toVersion.js';

const COMMENT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function parseCommentId(id: unknown): string {
  if (typeof id !== 'string' || !COMMENT_ID.test(id)) throw new ValidationError('comment id must be a ULID', { field: 'id' });
  return id;
}

/**
 * Resolves (default) or, with `resolved: false`, reopens a comment; `author` is who did it.
 * @throws NotFoundError when the document has no such comment.
 * @example await doc.resolveComment(c.id, { author: 'Ann' })
 */
export async function resolveComment({ ctx, site, doc, id, opts = {} }: { ctx: OpContext; site: SiteRef; doc: DocAddr; id: string; opts?: { resolved?: boolean; author?: Author | string } }): Promise<Comment> {
  const commentId = parseCommentId(id);
  if (opts.resolved !== undefined && typeof opts.resolved !== 'boolean') throw new ValidationError('resolved must be a boolean', { field: 'resolved' });
  const resolved = opts.resolved ?? true;
  const author = parseAuthor(opts.author);
  const document = await requireDocument(ctx.knex, site, doc);
  return ctx.knex.transaction(async (trx) => {
    const s = stamp(ctx);
    const row = await setCommentResolved(trx, site.id, document.id, commentId, resolved ? { at: new Date(ctx.clock.now()), name: author.name, email: author.email ?? null } : null, s);
    if (!row) throw new NotFoundError(`no comment ${commentId} on this document`, { id: commentId });
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: document.id, action: resolved ? 'comment.resolve' : 'comment.reopen', version_number: row.version_number, data: { comment: commentId, by: author.name }, hlc: s.hlc_modified, node_id: ctx.nodeId });
    return toComment(row);
  });
}

/**
 * Deletes a comment and its replies.
 * @throws NotFoundError when the document has no such comment.
 */
export async function deleteComment({ ctx, site, doc, id }: { ctx: OpContext; site: SiteRef; doc: DocAddr; id: string }): Promise<void> {
  const commentId = parseCommentId(id);
  const document = await requireDocument(ctx.knex, site, doc);
  await ctx.knex.transaction(async (trx) => {
    const found = await findComment(trx, site.id, document.id, commentId);
    if (!found || !(await deleteCommentRow(trx, site.id, document.id, commentId))) throw new NotFoundError(`no comment ${commentId} on this document`, { id: commentId });
    const s = stamp(ctx);
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: document.id, action: 'comment.delete', version_number: found.version_number, data: { comment: commentId }, hlc: s.hlc_modified, node_id: ctx.nodeId });
  });
}
