import type { Db } from '../connection.js';
import type { Stamp } from './sites.js';

export interface PreviewRow {
  id: string;
  site_id: string;
  document_id: string;
  version_number: number | null;
  domain: string | null;
  locale: string;
  expires_at: Date | string;
  max_uses: number | null;
  use_count: number;
  revoked_at: Date | string | null;
}

export async function insertPreview(db: Db, row: { id: string; token_hash: string; site_id: string; document_id: string; version_number: number | null; domain: string | null; locale: string; expires_at: Date; max_uses: number | null; created_by: string } & Stamp): Promise<void> {
  await db('preview_tokens').insert(row);
}

/**
 * Uses a token once, atomically: the UPDATE only matches a live token (not revoked, not
 * expired, uses left), so two concurrent uses of a single-use token cannot both succeed.
 */
export async function consumePreview(db: Db, tokenHash: string): Promise<PreviewRow | undefined> {
  const rows = (await db('preview_tokens')
    .where({ token_hash: tokenHash })
    .whereNull('revoked_at')
    .where('expires_at', '>', db.fn.now())
    .where((w) => w.whereNull('max_uses').orWhereRaw('use_count < max_uses'))
    .increment('use_count', 1)
    .returning('*')) as PreviewRow[];
  return rows[0];
}

export async function findPreview(db: Db, tokenHash: string): Promise<PreviewRow | undefined> {
  return (await db('preview_tokens').where({ token_hash: tokenHash }).first()) as PreviewRow | undefined;
}

export interface PreviewInfoRow extends PreviewRow {
  created_at: Date | string;
}

/** A document's preview links, newest first (the token hash is never selected). */
export async function listPreviewRows(db: Db, siteId: string, documentId: string): Promise<PreviewInfoRow[]> {
  return (await db('preview_tokens')
    .select('id', 'site_id', 'document_id', 'version_number', 'domain', 'locale', 'expires_at', 'max_uses', 'use_count', 'revoked_at', 'created_at')
    .where({ site_id: siteId, document_id: documentId })
    .orderBy('id', 'desc')) as PreviewInfoRow[];
}

/** Revokes a link once; false when there is no such link on this document. */
export async function revokePreviewRow(db: Db, siteId: string, documentId: string, id: string, stamp: Stamp): Promise<boolean> {
  const found = await db('preview_tokens').where({ site_id: siteId, document_id: documentId, id }).first('id', 'revoked_at');
  if (!found) return false;
  await db('preview_tokens').where({ site_id: siteId, id }).whereNull('revoked_at').update({ revoked_at: db.fn.now(), ...stamp });
  return true;
}
