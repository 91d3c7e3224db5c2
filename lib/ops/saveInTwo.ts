/**
 * The embedded (PGlite) write path of an existing document: PGlite has one connection, so a
 * save that held it across its Git write (about two thirds of a save) serialised every save of
 * the store. Here the document's lock is the in-process one of the write gate
 * (lib/locks/writeGate.ts), held from the first transaction to the second:
 *   T1: lock the row, take the number (orphans first), honour the key and the base; commit.
 *   Git: blob, trees, commit, ref (batched with other saves in flight by the commit queue).
 *   T2: move the counter if it still is the number before, record the version; commit.
 * T1 writes nothing a save needs undone: at most the orphans it indexed. A crash after T1 and
 * before the ref moves leaves the index as it was; after the ref moved, an orphan that the next
 * save of the document, start-up or `fsck --repair` indexes from its trailers, as before.
 * Between T1 and T2 no other writer takes the document's number: saves of it wait for its
 * mutex, every other transaction waits for the gate, and other saves' orphan walks see it held.
 */
import { lockDocument } from '../db/queries/documents.js';
import type { VersionRow } from '../db/rows.js';
import { gateKey } from '../locks/writeGate.js';
import type { Oid } from '../types.js';
import { crashPoint, type OpContext, type SiteRef } from './context.js';
import { beginVersion, docName } from './recordVersion.js';
import { commitVersion, prepareVersion, recordSaved, type VersionDraft } from './save.js';
import type { DocAddr } from './toVersion.js';

/** The saved row, or undefined when the document does not exist yet (a first save takes the one-transaction path). */
export async function saveInTwo(ctx: OpContext, site: SiteRef, doc: DocAddr, draft: VersionDraft, moved: { commit?: Oid }): Promise<VersionRow | undefined> {
  const { gate, direct } = ctx.writeGate!;
  const addr = { site_id: site.id, ...doc };
  return gate.withDocument(gateKey(site.id, docName(doc)), async () => {
    const p = await direct.transaction(async (trx) => {
      const locked = await lockDocument(trx, addr);
      return locked && prepareVersion(ctx, trx, site, locked, draft);
    });
    if (!p) return undefined;
    if ('prior' in p) return p.prior;
    const now = ctx.clock.now();
    const commit = await commitVersion(ctx, site, doc, p, now, moved);
    crashPoint(ctx, 'after-ref');
    return direct.transaction(async (trx) => {
      // No second row lock: the gate keeps every other writer of this number out, and the
      // guarded update checks it (should that ever fail, the caller indexes the commit from
      // its trailers, renumbered if it must be).
      await beginVersion(ctx, trx, site, p.document, p.d.branch, p.number, { guarded: true });
      return recordSaved(ctx, trx, site, p, commit, now);
    });
  });
}
