import type { Db } from '../connection.js';
import type { Stamp } from './sites.js';

export interface TagRow {
  name: string;
  version_number: number;
  commit_hash: string;
  tag_oid: string;
  message: string;
  created_by: string;
  created_at: Date | string;
}

export async function insertTag(db: Db, row: { id: string; site_id: string; document_id: string; version_number: number; name: string; commit_hash: string; tag_oid: string; message: string; created_by: string } & Stamp): Promise<void> {
  await db('tags').insert(row);
}

export async function findTag(db: Db, siteId: string, documentId: string, name: string): Promise<TagRow | undefined> {
  return (await db('tags').where({ site_id: siteId, document_id: documentId, name }).first()) as TagRow | undefined;
}

export interface SiteTagRow extends TagRow {
  id: string;
  document_id: string;
}

export async function listSiteTagRows(db: Db, siteId: string): Promise<SiteTagRow[]> {
  return (await db('tags').where({ site_id: siteId }).select('id', 'document_id', 'name', 'version_number', 'commit_hash', 'tag_oid', 'message')) as SiteTagRow[];
}

export async function deleteTagRow(db: Db, siteId: string, id: string): Promise<void> {
  await db('tags').where({ site_id: siteId, id }).delete();
}

/** A document's tags, newest first. */
export async function listTagRows(db: Db, siteId: string, documentId: string): Promise<TagRow[]> {
  return (await db('tags').where({ site_id: siteId, document_id: documentId }).orderBy('id', 'desc')) as TagRow[];
}
