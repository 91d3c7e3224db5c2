/**
 * takeNumber: the next version number of a document, taken only after every commit the branch
 * heads already carry for it is indexed (DESIGN.md "One writer of version rows").
 *
 * A writer that dies (or loses its database) after its ref moved leaves a commit whose trailer
 * claims version N while the index still says N-1. Holding the document's row lock, walk each
 * branch head back over commits the index lacks, to the first indexed version-carrying commit,
 * and index what we find first: an unindexed commit that claims this document can only be an
 * orphan, because every writer holds the lock from before its Git write until its index row
 * commits (on PGlite a save holds it in-process across its two transactions instead, and a
 * document held there is never taken for an orphan: lib/locks/writeGate.ts). An orphan that claims only other documents is indexed too when their locks are free
 * (same argument); otherwise it is left to reconcile, after raising this document's counter
 * past any number it claims here. So a live writer, in any process, never reuses a number.
 *
 * Cost: commits known to be indexed are remembered per repository (bounded), so a save whose
 * heads this process wrote or checked before reads the refs and nothing else.
 */
import type { Db } from '../db/connection.js';
import { findDocumentById, lockDocumentIfFree } from '../db/queries/documents.js';
import { raiseLatestNumber } from '../db/queries/recompute.js';
import { indexedCommits } from '../db/queries/versions.js';
import type { DocumentRow } from '../db/rows.js';
import { gateKey } from '../locks/writeGate.js';
import { WeightedLru } from '../objects/lru.js';
import type { CommitInfo, SiteRepo } from '../objects/index.js';
import { parseMessage } from '../trailers.js';
import type { Oid } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { indexCommitSafely } from './indexCommit.js';
import { docName } from './recordVersion.js';
import { indexableBranch } from './reconcile.js';

const KNOWN_PER_REPO = 4096;
// A head this far from an indexed commit is a push in flight or a history to reconcile, not
// something a save should walk on its critical path.
const MAX_WALK = 500;

const known = new WeakMap<SiteRepo, WeightedLru<Oid, true>>();

function knownOf(repo: SiteRepo): WeightedLru<Oid, true> {
  let k = known.get(repo);
  if (!k) known.set(repo, (k = new WeightedLru(KNOWN_PER_REPO)));
  return k;
}

const inFlight = new WeakMap<SiteRepo, Set<Oid>>();

/**
 * A save of this process announces its commit here while its transaction (and so its
 * document's row lock) is open: a walk that meets it knows it is no orphan without asking the
 * index or trying the lock (8 writers on one branch each met the other 7's commits).
 */
export function holdInFlight(repo: SiteRepo, commit: Oid): () => void {
  let set = inFlight.get(repo);
  if (!set) inFlight.set(repo, (set = new Set()));
  set.add(commit);
  return () => set.delete(commit);
}

/** Remembers a commit whose index rows are committed (so later saves stop their walk there). */
export function markIndexed(repo: SiteRepo, commit: Oid): void {
  knownOf(repo).set(commit, true);
}

/** Documents a commit claims a version of (its trailers), by name. */
function claims(c: CommitInfo): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of parseMessage(c.message).docs) if (t.version !== undefined && !t.action) out.set(t.doc, t.version);
  return out;
}

/** A number the index can hold; a trailer claiming anything else is quarantined, not obeyed. */
export function storableNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 2_147_483_647;
}

export async function takeNumber(ctx: OpContext, trx: Db, site: SiteRef, document: DocumentRow): Promise<{ number: number; document: DocumentRow }> {
  const touched = await indexOrphans(ctx, trx, site, document);
  const current = touched ? (await findDocumentById(trx, site.id, document.id))! : document;
  return { number: current.latest_number + 1, document: current };
}

/** Indexes orphan commits that claim `document`; true when anything about it changed. */
export async function indexOrphans(ctx: OpContext, trx: Db, site: SiteRef, document: DocumentRow): Promise<boolean> {
  const repo = ctx.repo(site.slug);
  const mine = docName(document);
  const seen = knownOf(repo);
  let touched = false;
  for (const { ref, oid } of await repo.listRefs('refs/heads/')) {
    const branch = ref.slice('refs/heads/'.length);
    if (branch === 'published' || !indexableBranch(branch) || seen.get(oid)) continue;
    let steps = 0;
    for await (const c of repo.walk(oid)) {
      if (seen.get(c.oid) || ++steps > MAX_WALK) break;
      const claimed = claims(c);
      if (!claimed.size) continue;
      // Embedded: the commit of a save of another document still in flight here is not an
      // orphan (writeGate.ts); skip it without asking the index.
      if (!claimed.has(mine) && (inFlight.get(repo)?.has(c.oid) || [...claimed.keys()].some((d) => heldHere(ctx, site, d)))) continue;
      if ((await indexedCommits(trx, site.id, [c.oid])).size) {
        seen.set(c.oid, true);
        break;
      }
      const others = [...claimed.keys()].filter((d) => d !== mine);
      if (!claimed.has(mine) && !(await allFree(ctx, trx, site, others))) continue;
      if (claimed.has(mine) && !(await allFree(ctx, trx, site, others))) {
        // Another document of this orphan is held by a live writer: do not wait for it (two
        // writers could wait for each other); keep clear of the number, reconcile indexes it.
        if (storableNumber(claimed.get(mine)!)) await raiseLatestNumber(trx, document, claimed.get(mine)!);
        touched = true;
        continue;
      }
      ctx.log.warn({ site: site.slug, commit: c.oid, branch }, 'indexing a commit a writer left unindexed (it died after moving the ref)');
      // One that cannot be indexed is quarantined (and its claim ignored, as reindex ignores it).
      await indexCommitSafely(ctx, trx, site, branch, c);
      if (claimed.has(mine)) touched = true;
    }
  }
  return touched;
}

/** Embedded: a save of `doc` is between its two transactions in this process (writeGate.ts). */
function heldHere(ctx: OpContext, site: SiteRef, doc: string): boolean {
  return !!ctx.writeGate?.gate.held(gateKey(site.id, doc));
}

async function allFree(ctx: OpContext, trx: Db, site: SiteRef, docs: string[]): Promise<boolean> {
  for (const d of docs) {
    if (heldHere(ctx, site, d)) return false;
    const [type, key, locale] = d.split('/') as [string, string, string];
    if (!(await lockDocumentIfFree(trx, { site_id: site.id, type, key, locale }))) return false;
  }
  return true;
}
