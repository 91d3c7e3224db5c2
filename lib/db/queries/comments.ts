import type { Db } from '../connection.js';
import type { Stamp } from './sites.js';

export interface CommentRow {
  id: string;
  version_number: number;
  parent_id: string | null;
  author_name: string;
  author_email: string | null;
  body: string;
  type: 'comment' | 'suggestion' | 'approval' | 'change_request';
  anchor_start_line: number | null;
  anchor_end_line: number | null;
  created_at: Date | string;
}

export interface CommentRowResolved extends CommentRow {
  resolved_at: Date | string | null;
  resolved_by_name: string | null;
  resolved_by_email: string | null;
}

export async function insertComment(db: Db, row: Omit<CommentRow, 'created_at'> & { site_id: string; document_id: string } & Stamp): Promise<CommentRow> {
  const [out] = (await db('version_comments').insert(row).returning('*')) as CommentRow[];
  return out!;
}

export async function findComment(db: Db, siteId: string, documentId: string, id: string): Promise<CommentRow | undefined> {
  return (await db('version_comments').where({ site_id: siteId, document_id: documentId, id }).first()) as CommentRow | undefined;
}

export async function listCommentRows(db: Db, siteId: string, documentId: string, versionNumber: number): Promise<CommentRow[]> {
  return (await db('version_comments').where({ site_id: siteId, document_id: documentId, version_number: versionNumber }).orderBy('id')) as CommentRow[];
}

/** Every comment of a document (all versions), oldest first. */
export async function listDocumentCommentRows(db: Db, siteId: string, documentId: string): Promise<CommentRowResolved[]> {
  return (await db('version_comments').where({ site_id: siteId, document_id: documentId }).orderBy([{ column: 'version_number' }, { column: 'id' }])) as CommentRowResolved[];
}

export async function setCommentResolved(db: Db, siteId: string, documentId: string, id: string, resolved: { at: Date; name: string; email: string | null } | null, stamp: Stamp): Promise<CommentRowResolved | undefined> {
  const [row] = (await db('version_comments')
    .where({ site_id: siteId, document_id: documentId, id })
    .update({ resolved_at: resolved?.at ?? null, resolved_by_name: resolved?.name ?? null, resolved_by_email: resolved?.email ?? null, ...stamp })
    .returning('*')) as CommentRowResolved[];
  return row;
}

/** Deletes a comment; its replies go with it (the self-reference cascades). */
export async function deleteCommentRow(db: Db, siteId: string, documentId: string, id: string): Promise<boolean> {
  // returning(): the affected-row count is not reported alike by pg and PGlite.
  return ((await db('version_comments').where({ site_id: siteId, document_id: documentId, id }).delete().returning('id')) as unknown[]).length > 0;
}
