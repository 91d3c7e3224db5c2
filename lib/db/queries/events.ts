import type { Db } from '../connection.js';
import type { EventRow } from '../rows.js';

export interface NewEvent {
  id: string;
  site_id: string;
  document_id?: string | null;
  action: string;
  version_number?: number | null;
  commit_hash?: string | null;
  data?: Record<string, unknown>;
  hlc: bigint;
  node_id: string;
}

/** The row as stored (data as JSON text). */
export function eventRow(e: NewEvent): Omit<NewEvent, 'data'> & { data: string } {
  return { ...e, data: JSON.stringify(e.data ?? {}) };
}

export async function insertEvent(db: Db, e: NewEvent): Promise<void> {
  await db('change_events').insert(eventRow(e));
}

export async function listEventRows(db: Db, a: { siteId: string; after?: string; limit: number }): Promise<Array<EventRow & { type: string | null; key: string | null; locale: string | null }>> {
  const q = db('change_events as e')
    .leftJoin('documents as d', function () {
      this.on('d.id', 'e.document_id').andOn('d.site_id', 'e.site_id');
    })
    .where('e.site_id', a.siteId)
    .select('e.*', 'd.type', 'd.key', 'd.locale')
    .orderBy('e.id', 'asc')
    .limit(a.limit);
  if (a.after) q.where('e.id', '>', a.after);
  return (await q) as Array<EventRow & { type: string | null; key: string | null; locale: string | null }>;
}

/** True when the index already announced this version (so a re-index appends no duplicate). */
export async function versionEventExists(db: Db, siteId: string, documentId: string, commit: string): Promise<boolean> {
  return !!(await db('change_events').where({ site_id: siteId, document_id: documentId, commit_hash: commit, action: 'version.create' }).first('id'));
}

/** True when an event with this action and commit exists (repairs append a missing one once). */
export async function eventExists(db: Db, siteId: string, action: string, commit: string, documentId?: string, data?: Record<string, string>): Promise<boolean> {
  const q = db('change_events').where({ site_id: siteId, action, commit_hash: commit });
  if (documentId) q.where({ document_id: documentId });
  for (const [k, v] of Object.entries(data ?? {})) q.whereRaw('data ->> ? = ?', [k, v]);
  return !!(await q.first('id'));
}
