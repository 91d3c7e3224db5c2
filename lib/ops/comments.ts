/** comment / comments: review notes on one version; they live only in the index (and backups). */
import { checkText } from '../schemas/storable.js';
import { insertComment, listCommentRows, listDocumentCommentRows, findComment, type CommentRow, type CommentRowResolved } from '../db/queries/comments.js';
import { insertEvent } from '../db/queries/events.js';
import { actorColumns } from './actor.js';
import { findVersionByNumber } from '../db/queries/versions.js';
import { iso } from '../db/rows.js';
import { ValidationError } from '../errors/index.js';
import type { Comment, CommentInput, VersionRef } from '../types.js';
import { isStale, versionText, type VersionText } from './commentLines.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { parseAuthor, parseEnum } from './inputs.js';
import { requireDocument } from './requireDocument.js';
import { resolveRef } from './resolveRef.js';
import type { DocAddr } from './toVersion.js';

const TYPES = ['comment', 'suggestion', 'approval', 'change_request'] as const;
/** version_comments.body CHECK: length(body) <= 20000, which PostgreSQL counts in code points. */
export const MAX_COMMENT_CHARS = 20_000;

export function toComment(r: CommentRow & Partial<CommentRowResolved>, stale = false): Comment {
  return {
    id: r.id,
    versionNumber: r.version_number,
    body: r.body,
    author: r.author_email ? { name: r.author_name, email: r.author_email } : { name: r.author_name },
    type: r.type,
    ...(r.parent_id ? { parentId: r.parent_id } : {}),
    ...(r.anchor_start_line !== null && r.anchor_end_line !== null ? { anchor: { startLine: r.anchor_start_line, endLine: r.anchor_end_line } } : {}),
    createdAt: iso(r.created_at),
    resolved: !!r.resolved_at,
    ...(r.resolved_at ? { resolvedAt: iso(r.resolved_at) } : {}),
    ...(r.resolved_by_name ? { resolvedBy: r.resolved_by_email ? { name: r.resolved_by_name, email: r.resolved_by_email } : { name: r.resolved_by_name } } : {}),
    stale,
  };
}

function parseBody(body: unknown): string {
  if (typeof body !== 'string' || !body.trim()) throw new ValidationError('body must be a non-empty string', { field: 'body' });
  // PostgreSQL text cannot hold NUL, and a lone surrogate cannot be stored as UTF-8.
  checkText(body, 'body');
  if ([...body].length > MAX_COMMENT_CHARS) throw new ValidationError(`body must be at most ${MAX_COMMENT_CHARS} characters`, { field: 'body', limit: MAX_COMMENT_CHARS });
  return body;
}

function parseAnchor(a: unknown): { startLine: number; endLine: number } | undefined {
  if (a === undefined) return undefined;
  const v = a as { startLine?: unknown; endLine?: unknown };
  if (!a || typeof a !== 'object' || !Number.isSafeInteger(v.startLine) || !Number.isSafeInteger(v.endLine) || (v.startLine as number) < 1 || (v.endLine as number) < (v.startLine as number)) {
    throw new ValidationError('anchor must be { startLine, endLine } with 1 <= startLine <= endLine', { field: 'anchor' });
  }
  return { startLine: v.startLine as number, endLine: v.endLine as number };
}

export async function addComment({ ctx, site, doc, ref, input }: { ctx: OpContext; site: SiteRef; doc: DocAddr; ref: VersionRef; input: CommentInput }): Promise<Comment> {
  if (!input || typeof input !== 'object') throw new ValidationError('give the comment as { body, author }', { field: 'body' });
  const body = parseBody(input.body);
  const author = parseAuthor(input.author, '');
  const type = parseEnum(input.type, TYPES, 'type', 'comment');
  const anchor = parseAnchor(input.anchor);
  const document = await requireDocument(ctx.knex, site, doc);
  const version = await resolveRef(ctx.knex, site.id, document.id, ref);
  if (anchor) {
    const { lines } = await versionText(ctx, site, version);
    if (anchor.endLine > lines.length) {
      throw new ValidationError(`anchor ends at line ${anchor.endLine}, but version ${version.number} has ${lines.length} lines`, { field: 'anchor', lines: lines.length });
    }
  }
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
      body,
      type,
      anchor_start_line: anchor?.startLine ?? null,
      anchor_end_line: anchor?.endLine ?? null,
      ...s,
    });
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: document.id, action: 'comment.create', version_number: version.number, data: { comment: row.id, type }, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx, { name: row.author_name }) });
    return toComment(row);
  });
}

/**
 * The comments of the version `ref` names, or with `all` every version's, each flagged stale
 * against that version.
 */
export async function listComments({ ctx, site, doc, ref, opts = {} }: { ctx: OpContext; site: SiteRef; doc: DocAddr; ref: VersionRef; opts?: { all?: boolean } }): Promise<Comment[]> {
  if (opts.all !== undefined && typeof opts.all !== 'boolean') throw new ValidationError('all must be a boolean', { field: 'all' });
  const document = await requireDocument(ctx.knex, site, doc);
  const version = await resolveRef(ctx.knex, site.id, document.id, ref);
  if (!opts.all) return ((await listCommentRows(ctx.knex, site.id, document.id, version.number)) as CommentRowResolved[]).map((r) => toComment(r));
  const rows = await listDocumentCommentRows(ctx.knex, site.id, document.id);
  const asked = await versionText(ctx, site, version);
  const texts = new Map<number, VersionText>([[version.number, asked]]);
  const out: Comment[] = [];
  for (const r of rows) {
    let written = texts.get(r.version_number);
    if (!written) {
      const row = await findVersionByNumber(ctx.knex, site.id, document.id, r.version_number);
      written = row ? await versionText(ctx, site, row) : { blob: '', lines: [] };
      texts.set(r.version_number, written);
    }
    const c = toComment(r);
    out.push({ ...c, stale: isStale(c.anchor, written, asked) });
  }
  return out;
}
