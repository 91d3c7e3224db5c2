/**
 * label_moves: the index of the `labels` branch, one row per (commit, document, label). Derived
 * from Git (rebuildLabels.ts); a label's current value is its newest move.
 */
import type { Db } from '../connection.js';
import type { Stamp } from './sites.js';

export interface LabelMoveRow {
  id: string;
  site_id: string;
  document_id: string;
  name: string;
  from_version: number | null;
  to_version: number | null;
  to_commit: string | null;
  label_commit: string;
  moved_by_name: string;
  moved_by_email: string | null;
  message: string;
  moved_at: Date | string;
}

/** Idempotent by (site, label commit, document, name): a retried rebuild never duplicates a move. */
export async function insertLabelMove(db: Db, row: LabelMoveRow & Stamp): Promise<void> {
  await db('label_moves').insert(row).onConflict(['site_id', 'label_commit', 'document_id', 'name']).ignore();
}

/** Newest first; ties in time (one millisecond) fall back to the order the moves were written. */
export async function listLabelMoves(db: Db, siteId: string, documentId: string, name?: string): Promise<LabelMoveRow[]> {
  const q = db('label_moves').where({ site_id: siteId, document_id: documentId });
  if (name !== undefined) q.where({ name });
  return (await q.orderBy([{ column: 'moved_at', order: 'desc' }, { column: 'id', order: 'desc' }])) as LabelMoveRow[];
}

/** The newest move of every label of a document that still points somewhere, by name. */
export async function listCurrentLabels(db: Db, siteId: string, documentId: string): Promise<LabelMoveRow[]> {
  const newest = db('label_moves')
    .distinctOn('name')
    .where({ site_id: siteId, document_id: documentId })
    .orderBy([{ column: 'name' }, { column: 'moved_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .as('newest');
  return (await db.select('*').from(newest).whereNotNull('to_version').orderBy('name')) as LabelMoveRow[];
}

export async function deleteSiteLabelMoves(db: Db, siteId: string): Promise<void> {
  await db('label_moves').where({ site_id: siteId }).delete();
}

export async function findCurrentLabel(db: Db, siteId: string, documentId: string, name: string): Promise<LabelMoveRow | undefined> {
  const row = (await db('label_moves')
    .where({ site_id: siteId, document_id: documentId, name })
    .orderBy([{ column: 'moved_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .first()) as LabelMoveRow | undefined;
  return row && row.to_version !== null ? row : undefined;
}
