import type { Db } from '../connection.js';

/** A document's primary key (site_id, id): the migration 20261202000001_citus_keys. */
export interface DocumentKey {
  site_id: string;
  id: string;
}

/**
 * Recomputes the current-draft flag of documents from their versions: the newest version on
 * main is the current draft (saves, rollbacks and merges all land there as new versions).
 * Only rows whose flag is wrong are written (a rebuild leaves the rest, and their stamps, alone);
 * wrong flags are cleared first, so the one-draft unique index holds after each statement.
 */
export async function recomputeDraftFlags(db: Db, siteId: string, documentIds?: string[]): Promise<void> {
  const docs = documentIds ? 'AND v.document_id = ANY(?)' : '';
  const newest = `(SELECT max(w.number) FROM content_versions w WHERE w.site_id = v.site_id AND w.document_id = v.document_id AND w.branch = 'main')`;
  const bind = documentIds ? [siteId, documentIds] : [siteId];
  await db.raw(
    `UPDATE content_versions v SET is_current_draft = false
      WHERE v.site_id = ? ${docs} AND v.is_current_draft AND (v.branch <> 'main' OR v.number <> ${newest})`,
    bind,
  );
  await db.raw(
    `UPDATE content_versions v SET is_current_draft = true
      WHERE v.site_id = ? ${docs} AND NOT v.is_current_draft AND v.branch = 'main' AND v.number = ${newest}`,
    bind,
  );
}

/** Raises a document's version counter to at least `number` (indexing commits made elsewhere). */
export async function raiseLatestNumber(db: Db, doc: DocumentKey, number: number): Promise<void> {
  await db('documents').where({ site_id: doc.site_id, id: doc.id }).where('latest_number', '<', number).update({ latest_number: number });
}

export async function resetSiteDocuments(db: Db, siteId: string): Promise<void> {
  await db('documents').where({ site_id: siteId }).update({ latest_number: 0, archived_at: null });
}

/** Only a change is written, so a re-index leaves documents' updated_at alone. */
export async function setArchived(db: Db, doc: DocumentKey, archived: boolean): Promise<void> {
  const q = db('documents').where({ site_id: doc.site_id, id: doc.id });
  if (archived) await q.whereNull('archived_at').update({ archived_at: db.fn.now() });
  else await q.whereNotNull('archived_at').update({ archived_at: null });
}

/** Sets latest_number to the highest indexed number where it differs (reindex; updated_at stays). */
export async function syncLatestNumbers(db: Db, siteId: string): Promise<void> {
  await db.raw(
    `UPDATE documents d SET latest_number = m.n
       FROM (SELECT dd.id, coalesce(max(v.number), 0) AS n FROM documents dd
               LEFT JOIN content_versions v ON v.site_id = dd.site_id AND v.document_id = dd.id
              WHERE dd.site_id = ? GROUP BY dd.id) m
      WHERE d.site_id = ? AND d.id = m.id AND d.latest_number <> m.n`,
    [siteId, siteId],
  );
}
