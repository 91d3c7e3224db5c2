import type { Db } from '../connection.js';
import type { Stamp } from './sites.js';

export interface QuarantineRow {
  commit_hash: string;
  branch: string;
  reason: string;
}

/** Records (or re-records) a commit recovery could not index. */
export async function quarantineCommit(db: Db, row: { id: string; site_id: string; commit_hash: string; branch: string; reason: string } & Stamp): Promise<void> {
  await db('index_quarantine').insert(row).onConflict(['site_id', 'commit_hash']).merge(['reason', 'branch', 'hlc_modified']);
}

export async function listQuarantine(db: Db, siteId: string): Promise<QuarantineRow[]> {
  return (await db('index_quarantine').where({ site_id: siteId }).orderBy('created_at').select('commit_hash', 'branch', 'reason')) as QuarantineRow[];
}

export async function quarantinedCommits(db: Db, siteId: string): Promise<Set<string>> {
  return new Set(((await db('index_quarantine').where({ site_id: siteId }).select('commit_hash')) as Array<{ commit_hash: string }>).map((r) => r.commit_hash));
}

/** A quarantined commit that now indexes (a fixed build) leaves the quarantine. */
export async function releaseQuarantine(db: Db, siteId: string, commit: string): Promise<void> {
  await db('index_quarantine').where({ site_id: siteId, commit_hash: commit }).delete();
}
