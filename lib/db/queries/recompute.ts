import type { Db } from '../connection.js';

/**
 * Recomputes the current-draft flag of documents from their versions: the newest version on
 * main is the current draft (saves, rollbacks and merges all land there as new versions).
 */
export async function recomputeDraftFlags(db: Db, siteId: string, documentIds?: string[]): Promise<void> {
  const scoped = (q: ReturnType<Db>) => (documentIds ? q.whereIn('document_id', documentIds) : q);
  await scoped(db('content_versions').where({ site_id: siteId, is_current_draft: true })).update({ is_current_draft: false });
  await db.raw(
    `UPDATE content_versions v SET is_current_draft = true
       FROM (SELECT document_id, max(number) AS n FROM content_versions
              WHERE site_id = ? AND branch = 'main' ${documentIds ? 'AND document_id = ANY(?)' : ''}
              GROUP BY document_id) m
      WHERE v.site_id = ? AND v.document_id = m.document_id AND v.number = m.n`,
    documentIds ? [siteId, documentIds, siteId] : [siteId, siteId],
  );
}

/** Raises a document's version counter to at least `number` (indexing commits made elsewhere). */
export async function raiseLatestNumber(db: Db, documentId: string, number: number): Promise<void> {
  await db('documents').where({ id: documentId }).where('latest_number', '<', number).update({ latest_number: number });
}

export async function resetSiteDocuments(db: Db, siteId: string): Promise<void> {
  await db('documents').where({ site_id: siteId }).update({ latest_number: 0, archived_at: null });
}

export async function setArchived(db: Db, documentId: string, archived: boolean): Promise<void> {
  await db('documents').where({ id: documentId }).update({ archived_at: archived ? db.fn.now() : null });
}
