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
