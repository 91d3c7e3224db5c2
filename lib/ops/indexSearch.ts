/**
 * The search row of a version at index time (save, rollback, merge, a commit indexed from Git,
 * reindex): text extracted per format and the locale's configuration. Its vector is built
 * later, off the write's path (lib/search/indexer.ts), once the caller's transaction commits.
 */
import { afterCommit } from '../db/afterCommit.js';
import type { Db } from '../db/connection.js';
import { upsertSearchRow, type SearchRow } from '../db/queries/search.js';
import { extractSearchText, searchConfig } from '../search/extract.js';
import type { Format, Oid } from '../types.js';
import { stamp, type OpContext, type SiteRef } from './context.js';

export interface SearchSource {
  site: SiteRef;
  documentId: string;
  number: number;
  locale: string;
  format: Format;
  blob: Oid;
  bytes?: Uint8Array;
}

/** The row to write for a version (its content read from Git unless the caller has it). */
export async function searchRowOf(ctx: OpContext, a: SearchSource): Promise<SearchRow> {
  const bytes = a.bytes ?? (await ctx.repo(a.site.slug).readBlob(a.blob));
  const text = extractSearchText(a.format, bytes);
  const s = stamp(ctx);
  return {
    site_id: a.site.id, document_id: a.documentId, version_number: a.number, config: searchConfig(a.locale),
    title: text.title, body: text.body, node_id: s.node_id, hlc_modified: s.hlc_modified,
  };
}

/** Tells the indexer about rows `trx` wrote, once they are visible to its connections. */
export function queueSearch(ctx: OpContext, trx: Db, site: SiteRef): void {
  afterCommit(trx, () => ctx.searchIndex.queue(site.id));
}

/** Writes (or rewrites) a version's search row in the caller's transaction, its vector pending. */
export async function indexSearchText(ctx: OpContext, trx: Db, a: SearchSource): Promise<void> {
  await upsertSearchRow(trx, await searchRowOf(ctx, a));
  queueSearch(ctx, trx, a.site);
}
