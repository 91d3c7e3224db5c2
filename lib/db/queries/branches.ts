import type { Db } from '../connection.js';
import type { Stamp } from './sites.js';

export interface BranchRow {
  id: string;
  site_id: string;
  name: string;
  created_from: string | null;
  created_at: Date | string;
}

export async function insertBranch(db: Db, row: { id: string; site_id: string; name: string; created_from: string | null } & Stamp): Promise<void> {
  await db('branches').insert(row).onConflict(['site_id', 'name']).ignore();
}

export async function listBranchRows(db: Db, siteId: string): Promise<BranchRow[]> {
  return (await db('branches').where({ site_id: siteId }).orderBy('name')) as BranchRow[];
}

export async function deleteBranchRow(db: Db, siteId: string, name: string): Promise<void> {
  await db('branches').where({ site_id: siteId, name }).delete();
}

/** Inserts a branch row unless one exists; true when this call inserted it. */
export async function insertBranchIfAbsent(db: Db, row: { id: string; site_id: string; name: string; created_from: string | null } & Stamp): Promise<boolean> {
  const inserted = await db('branches').insert(row).onConflict(['site_id', 'name']).ignore().returning('id');
  return inserted.length > 0;
}
