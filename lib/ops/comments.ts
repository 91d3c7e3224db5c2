/** comment / comments: review notes on one version; they live only in the index (and backups). */
import { insertComment, listCommentRows, findComment, type CommentRow } from '../db/queries/comments.js';
import { insertEvent } from '../db/queries/events.js';
import { actorColumns } from './actor.js';
import { iso } from '../db/rows.js';
import { ValidationError } from '../errors/index.js';
import type { Comment, CommentInput, VersionRef } from '../types.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { parseAuthor, parseEnum } from './inputs.js';
import { requireDocument } from './requireDocument.js';
import { resolveRef } from './resolveRef.js';
import type { DocAddr } from './toVersion.js';

const TYPES = ['comment', 'suggestion', 'approval', 'change_request'] as const;

function toComment(r: CommentRow): Comment {
  return {
    id: r.id,
    versionNumber: r.version_number,
    body: r.body,
    author: r.author_email ? { name: r.author_name, email: r.author_email } : { name: r.author_name },
    type: r.type,
    ...(r.parent_id ? { parentId: r.parent_id } : {}),
    ...(r.anchor_start_line !== null && r.anchor_end_line !== null ? { anchor: { startLine: r.anchor_start_line, endLine: r.anchor_end_line } } : {}),
    createdAt: iso(r.created_at),
  };
}

function parseAnchor(a: unknown): { startLine: number; endLine: number } | undefined {
  if (a === undefined) return undefined;
  const v = a as { startLine?: unknown; endLine?: unknown };
  if (!a || typeof a !== 'object' || !Number.isInteger(v.startLine) || !Number.isInteger(v.endLine) || (v.startLine as number) < 1 || (v.endLine as number) < (v.startLine as number)) {
    throw new ValidationError('anchor must be { startLine, endLine } with 1 <= startLine <= endLine', { field: 'anchor' });
  }
  return { startLine: v.startLine as number, endLine: v.endLine as number };
}

export async function addComment({ ctx, site, doc, ref, input }: { ctx: OpContext; site: SiteRef; doc: DocAddr; ref: VersionRef; input: CommentInput }): Promise<Comment> {
  if (!input || typeof input.body !== 'string' || !input.body.trim() || input.body.length > 20_000) {
    throw new ValidationError('body must be 1-20000 characters', { field: 'body' });
  }
  const author = parseAuthor(input.author, '');
  const type = parseEnum(input.type, TYPES, 'type', 'comment');
  const anchor = parseAnchor(input.anchor);
  const document = await requireDocument(ctx.knex, site, doc);
  const version = await resolveRef(ctx.knex, site.id, document.id, ref);
  if (input.parentId !== undefined) {
    const parent = typeof input.parentId === 'string' ? await findComment(ctx.knex, site.id, document.id, input.parentId) : undefined;
    if (!parent || parent.version_number !== version.number) {
      throw new ValidationError('parentId must be a comment on the same version', { field: 'parentId' });
    }
  }
  const s = stamp(ctx);
  return ctx.knex.transaction(async (trx) => {
    const row = await insertComment(trx, {
      id: ctx.newId(),
      site_id: site.id,
      document_id: document.id,
      version_number: version.number,
      parent_id: input.parentId ?? null,
      author_name: author.name,
      author_email: author.email ?? null,
      body: input.body,
      type,
      anchor_start_line: anchor?.startLine ?? null,
      anchor_end_line: anchor?.endLine ?? null,
      ...s,
    });
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: document.id, action: 'comment.create', version_number: version.number, data: { comment: row.id, type }, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx, { name: row.author_name }) });
    return toComment(row);
  });
}

export async function listComments({ ctx, site, doc, ref }: { ctx: OpContext; site: SiteRef; doc: DocAddr; ref: VersionRef }): Promise<Comment[]> {
  const document = await requireDocument(ctx.knex, site, doc);
  const version = await resolveRef(ctx.knex, site.id, document.id, ref);
  return (await listCommentRows(ctx.knex, site.id, document.id, version.number)).map(toComment);
}
