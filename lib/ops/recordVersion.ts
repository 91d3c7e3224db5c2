/**
 * recordVersion: the one writer of version rows (DESIGN.md "Integrity: one way in, nothing
 * bricked"). Save, rollback, merge, push indexing, reconcile and reindex all record a version
 * here, so numbering, the current-draft flag, the change event and idempotency have one
 * implementation:
 * - idempotent by (site, commit, document): a commit already indexed for the document returns
 *   its row and appends nothing;
 * - a number another commit already holds (two commits claiming one number, left by builds
 *   before the orphan check in takeNumber.ts) is renumbered to the next free one; the commit's
 *   version note records it so reindex gives the same number, and an `index.repair` event says so;
 * - a version on main moves the current-draft flag when it is the newest there, and brings an
 *   archived document back;
 * - one `version.create` event per version, ever (a re-index finds the first one).
 * The caller holds the document's row lock in `trx`.
 */
import type { Db } from '../db/connection.js';
import { findCurrent, findVersionByCommit, findVersionByIdempotencyKey, findVersionByNumber, insertVersionIfAbsent, insertVersionWithEvent, moveFlag } from '../db/queries/versions.js';
import { advanceDocument, findDocumentById } from '../db/queries/documents.js';
import { InternalError } from '../errors/index.js';
import { insertEvent, versionEventExists } from '../db/queries/events.js';
import { raiseLatestNumber, setArchived } from '../db/queries/recompute.js';
import type { DocumentRow, VersionRow } from '../db/rows.js';
import type { Oid } from '../types.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { actorColumns } from './actor.js';
import { indexSearchText, queueSearch, searchRowOf } from './indexSearch.js';
import { noteVersion } from './versionNotes.js';

export interface VersionFacts {
  /** Locked by the caller in the same transaction. */
  document: DocumentRow;
  number: number;
  branch: string;
  kind: string;
  source: string;
  commit: Oid;
  blob: Oid;
  author: { name: string; email: string | null };
  message: string;
  metadata: Record<string, unknown>;
  idempotencyKey: string | null;
  /** Second precision (the commit's time), so reindex yields the same value. */
  createdAt: Date;
  /** Data of the version.create event. */
  event: Record<string, unknown>;
}

export interface RecordOptions {
  /** The number was just taken with takeNumber under the lock: no row holds it or the commit. */
  fresh?: boolean;
  /** beginVersion already ran (save overlaps it with the Git write). Only with `fresh`. */
  begun?: boolean;
  /** Reindex: the current-draft flags and archive states are derived once at the end. */
  replay?: boolean;
  /** The content, when the caller has it (search indexing reads the blob otherwise). */
  bytes?: Uint8Array;
  /** A fresh version that a newer one of the same batch follows: it does not take the draft flag. */
  superseded?: boolean;
}

export interface Recorded {
  row: VersionRow;
  /** False when the commit was already indexed for the document. */
  inserted: boolean;
  /** Set when the commit's own number was taken by another commit. */
  renumberedFrom?: number;
}

/**
 * The part of a fresh version that does not need the commit id: clear the old current draft
 * and raise the document's counter (and un-archive it on main). Save runs it while Git fsyncs.
 */
export async function beginVersion(ctx: OpContext, trx: Db, site: SiteRef, document: DocumentRow, branch: string, number: number, o: { guarded?: boolean } = {}): Promise<void> {
  const s = stamp(ctx);
  const patch = { latest_number: number, archived_at: branch === 'main' ? null : document.archived_at, hlc_modified: s.hlc_modified };
  // Guarded: the caller took `number` in an earlier transaction (saveInTwo.ts) and holds the
  // document in-process; should the counter have moved anyway, nothing is written.
  const advanced = await advanceDocument(trx, document, patch, { clearDraft: branch === 'main', ...(o.guarded ? { from: number - 1 } : {}) });
  if (!advanced && o.guarded) throw new InternalError(`version ${number} of ${docName(document)} was taken during its save`, { number });
}

export async function recordVersion(ctx: OpContext, trx: Db, site: SiteRef, v: VersionFacts, o: RecordOptions = {}): Promise<Recorded> {
  let number = v.number;
  let renumberedFrom: number | undefined;
  if (!o.fresh) {
    const prior = await findVersionByCommit(trx, site.id, v.document.id, v.commit);
    if (prior) return { row: prior, inserted: false };
    if (await findVersionByNumber(trx, site.id, v.document.id, number)) {
      renumberedFrom = number;
      number = (await findDocumentById(trx, site.id, v.document.id))!.latest_number + 1;
      await noteVersion(ctx.repo(site.slug), v.commit, { doc: docName(v.document), branch: v.branch, version: number }, ctx.clock.now());
    }
  }
  // An orphaned save retried with its key may have been answered by a later commit: the key
  // stays with the row that has it (the unique index allows one), this version keeps none.
  const idempotencyKey = !o.fresh && v.idempotencyKey && (await findVersionByIdempotencyKey(trx, site.id, v.document.id, v.idempotencyKey)) ? null : v.idempotencyKey;
  const onMain = v.branch === 'main';
  const s = stamp(ctx);
  const row: VersionRow = {
    id: ctx.newId(),
    site_id: site.id,
    document_id: v.document.id,
    number,
    branch: v.branch,
    kind: v.kind,
    source: v.source,
    commit_hash: v.commit,
    blob_hash: v.blob,
    author_name: v.author.name,
    author_email: v.author.email,
    message: v.message,
    metadata: v.metadata,
    idempotency_key: idempotencyKey,
    is_current_draft: !!o.fresh && onMain && !o.superseded,
    is_current_published: false,
    created_at: v.createdAt,
    published_at: null,
  };
  const stored = { ...row, metadata: JSON.stringify(v.metadata), created_at: v.createdAt, ...s };
  const event = { id: ctx.newId(), site_id: site.id, document_id: v.document.id, action: 'version.create', version_number: number, commit_hash: v.commit, data: v.event, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx, { name: v.author.name }) };
  const source = { site, documentId: v.document.id, number, locale: v.document.locale, format: v.document.format, blob: v.blob, ...(o.bytes ? { bytes: o.bytes } : {}) };
  if (o.fresh) {
    if (!o.begun) await beginVersion(ctx, trx, site, v.document, v.branch, number);
    await insertVersionWithEvent(trx, stored, event, await searchRowOf(ctx, source));
    queueSearch(ctx, trx, site);
    return { row, inserted: true };
  }
  if (!(await insertVersionIfAbsent(trx, stored))) return { row: (await findVersionByCommit(trx, site.id, v.document.id, v.commit))!, inserted: false };
  await raiseLatestNumber(trx, v.document, number);
  await indexSearchText(ctx, trx, source);
  if (onMain && !o.replay) {
    const current = await findCurrent(trx, site.id, v.document.id, 'is_current_draft');
    if (!current || current.number < number) {
      await moveFlag(trx, site.id, v.document.id, 'is_current_draft', row.id, { hlc_modified: s.hlc_modified });
      row.is_current_draft = true;
    }
    await setArchived(trx, v.document, false);
  }
  if (!(await versionEventExists(trx, site.id, v.document.id, v.commit))) await insertEvent(trx, event);
  if (renumberedFrom !== undefined) {
    ctx.log.warn({ site: site.slug, commit: v.commit, doc: docName(v.document), from: renumberedFrom, to: number }, 'two commits claimed one version number; the later one was renumbered');
    await insertEvent(trx, { ...event, id: ctx.newId(), action: 'index.repair', data: { renumbered: { from: renumberedFrom, to: number } }, hlc: ctx.clock.tick() });
  }
  return { row, inserted: true, ...(renumberedFrom !== undefined ? { renumberedFrom } : {}) };
}

export function docName(d: { type: string; key: string; locale: string }): string {
  return `${d.type}/${d.key}/${d.locale}`;
}
