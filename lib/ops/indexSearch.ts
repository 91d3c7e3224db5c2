/**
 * Writes the search row of a version at index time (save, rollback, merge, a commit indexed
 * from Git, reindex), in the caller's transaction: text extracted per format, the locale's
 * configuration, the weighted tsvector built by the database.
 */
import type { Db } from '../db/connection.js';
import { upsertSearchRow } from '../db/queries/search.js';
import { extractSearchText, searchConfig } from '../search/extract.js';
import type { Format, Oid } from '../types.js';
import { stamp, type OpContext, type SiteRef } from './context.js';

export async function indexSearchText(ctx: OpContext, trx: Db, a: { site: SiteRef; documentId: string; number: number; locale: string; format: Format; blob: Oid; bytes?: Uint8Array }): Promise<void> {
  const bytes = a.bytes ?? (await ctx.repo(a.site.slug).readBlob(a.blob));
  const text = extractSearchText(a.format, bytes);
  const s = stamp(ctx);
  await upsertSearchRow(trx, {
    site_id: a.site.id, document_id: a.documentId, version_number: a.number, config: searchConfig(a.locale),
    title: text.title, body: text.body, node_id: s.node_id, hlc_modified: s.hlc_modified,
  });
}
