/**
 * show: one version with its content, read from Git by blob hash. A blob's bytes never change
 * (its id is their hash), so the bytes of recently shown blobs are kept per repository: under
 * load (http bench) opening, reading and inflating the loose object was the largest cost of a
 * show that verso adds to the one index query.
 */
import { decodeContent } from '../content.js';
import { WeightedLru } from '../objects/lru.js';
import type { SiteRepo } from '../objects/index.js';
import { findVersionAt } from '../db/queries/versions.js';
import type { VersionRow } from '../db/rows.js';
import type { Format, Oid, Version, VersionRef } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { requireDocument } from './requireDocument.js';
import { resolveRef } from './resolveRef.js';
import { toVersion, type DocAddr } from './toVersion.js';

const BLOB_CACHE_BYTES = 16 * 1024 * 1024;
const blobs = new WeakMap<SiteRepo, WeightedLru<Oid, Uint8Array>>();

async function readBlobCached(repo: SiteRepo, oid: Oid): Promise<Uint8Array> {
  let cache = blobs.get(repo);
  if (!cache) blobs.set(repo, (cache = new WeightedLru(BLOB_CACHE_BYTES)));
  const hit = cache.get(oid);
  if (hit) return hit;
  const bytes = await repo.readBlob(oid);
  // One large blob must not push out everything else: only those under a sixteenth are kept.
  if (bytes.byteLength <= BLOB_CACHE_BYTES / 16) cache.set(oid, bytes, bytes.byteLength);
  return bytes;
}

export async function show({ ctx, site, doc, ref }: { ctx: OpContext; site: SiteRef; doc: DocAddr; ref: VersionRef }): Promise<Version & { content: unknown }> {
  const withContent = async (row: VersionRow, format: Format) => {
    const bytes = await readBlobCached(ctx.repo(site.slug), row.blob_hash as Oid);
    return { ...toVersion(site, doc, row), content: decodeContent(bytes, format) };
  };
  // A number, 'draft' or 'published' (nearly every show) takes one statement; anything else, or
  // a miss, takes the general path, which also says what is missing.
  const at =
    typeof ref === 'number' && Number.isSafeInteger(ref) && ref >= 1 ? { number: ref }
    : ref === 'draft' ? { flag: 'is_current_draft' as const }
    : ref === 'published' ? { flag: 'is_current_published' as const }
    : undefined;
  const hit = at && (await findVersionAt(ctx.knex, site.id, doc, at));
  if (hit) {
    const { document_format, ...row } = hit;
    return withContent(row, document_format);
  }
  const document = await requireDocument(ctx.knex, site, doc);
  return withContent(await resolveRef(ctx.knex, site.id, document.id, ref), document.format);
}
