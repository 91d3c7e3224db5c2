/**
 * The baseline a user would otherwise build: every version a full snapshot row in PostgreSQL,
 * as a CMS revision table does (Payload's `_versions` collections, WordPress revisions). The
 * table mirrors verso's content_versions (same metadata columns, ULID keys, the same
 * one-current-draft partial unique index) plus the whole document as jsonb.
 *
 * A save is one transaction: clear the current-draft flag, insert the snapshot with the next
 * number and the flag set. That is deliberately lean (no document row lock, no change event):
 * the baseline gets the benefit of every doubt.
 */
import type { Knex } from 'knex';
import { monotonicFactory } from 'ulid';

const ddl = [
  `CREATE TABLE IF NOT EXISTS snapshot_versions (
     id char(26) PRIMARY KEY,
     site_id char(26) NOT NULL,
     document_id char(26) NOT NULL,
     number integer NOT NULL CHECK (number > 0),
     branch text NOT NULL DEFAULT 'main',
     kind text NOT NULL DEFAULT 'draft',
     source text NOT NULL DEFAULT 'user',
     author_name text NOT NULL,
     author_email text,
     message text NOT NULL DEFAULT '',
     metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
     content jsonb NOT NULL,
     is_current_draft boolean NOT NULL DEFAULT false,
     is_current_published boolean NOT NULL DEFAULT false,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (site_id, document_id, number))`,
  `CREATE UNIQUE INDEX IF NOT EXISTS snapshot_versions_one_draft ON snapshot_versions (site_id, document_id) WHERE is_current_draft`,
];

export async function createSnapshotTable(knex: Knex): Promise<void> {
  for (const sql of ddl) await knex.raw(sql);
}

export interface SnapshotDoc {
  siteId: string;
  documentId: string;
}

export function snapshotIds(): () => string {
  const next = monotonicFactory();
  return () => next();
}

/** One snapshot save: flag cleared and full row inserted in one transaction. */
export async function snapshotSave(knex: Knex, newId: () => string, doc: SnapshotDoc, content: unknown, author = 'Bench', o: { lockDocument?: boolean } = {}): Promise<void> {
  await knex.transaction(async (trx) => {
    // Writers of one document (the hot page) must queue, or two take one number and both keep
    // the draft flag: a transaction-scoped advisory lock on the document is the least it needs.
    if (o.lockDocument) await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [doc.documentId]);
    await trx.raw(
      `UPDATE snapshot_versions SET is_current_draft = false, updated_at = now()
        WHERE site_id = ? AND document_id = ? AND is_current_draft`,
      [doc.siteId, doc.documentId],
    );
    await trx.raw(
      `INSERT INTO snapshot_versions (id, site_id, document_id, number, author_name, message, content, is_current_draft)
       VALUES (?, ?, ?, (SELECT coalesce(max(number), 0) + 1 FROM snapshot_versions WHERE site_id = ? AND document_id = ?), ?, 'Update', ?::jsonb, true)`,
      [newId(), doc.siteId, doc.documentId, doc.siteId, doc.documentId, author, JSON.stringify(content)],
    );
  });
}

/** The 50 newest versions' metadata (what a history page shows), newest first. */
export async function snapshotHistoryPage(knex: Knex, doc: SnapshotDoc, limit = 50): Promise<unknown[]> {
  const r = await knex.raw(
    `SELECT id, number, branch, kind, source, author_name, author_email, message, metadata, is_current_draft, is_current_published, created_at
       FROM snapshot_versions WHERE site_id = ? AND document_id = ? ORDER BY number DESC LIMIT ?`,
    [doc.siteId, doc.documentId, limit + 1],
  );
  return (r as { rows: unknown[] }).rows;
}

/** One version with its content. */
export async function snapshotShow(knex: Knex, doc: SnapshotDoc, number: number): Promise<unknown> {
  const r = await knex.raw(`SELECT * FROM snapshot_versions WHERE site_id = ? AND document_id = ? AND number = ?`, [doc.siteId, doc.documentId, number]);
  return (r as { rows: unknown[] }).rows[0];
}

/** Bytes of the table with its TOAST data and indexes (pg_total_relation_size). */
export async function snapshotTableBytes(knex: Knex): Promise<number> {
  const r = await knex.raw(`SELECT pg_total_relation_size('snapshot_versions')::bigint AS n`);
  return Number((r as { rows: Array<{ n: string | number }> }).rows[0]!.n);
}
