import type { Db } from '../connection.js';

/** The number of the version holding a current flag, for an event's old_values. */
export async function flagHolder(db: Db, siteId: string, documentId: string, flag: 'is_current_draft' | 'is_current_published'): Promise<number | undefined> {
  const row = (await db('content_versions').where({ site_id: siteId, document_id: documentId, [flag]: true }).first('number')) as { number: number } | undefined;
  return row?.number;
}
