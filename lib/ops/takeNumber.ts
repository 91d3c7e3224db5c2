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
 * The walk does not stop at the first indexed commit once it has a mark: another gateway can
 * commit a save of another document on top of a dead writer's commit (while the dead writer's
 * lock lingered), burying it. So each branch keeps a mark, a commit below which every
 * version-carrying commit is indexed, moved up only over commits found indexed, and the walk
 * goes down to it (test/integration/engine/buriedOrphan.test.ts).
 *
 * Cost: commits known to be indexed are remembered per repository (bounded), and the mark
 * follows the head, so a save reads the refs and the one or two commits above its mark.
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

/** Per repository and branch: a commit below which every version-carrying commit is indexed. */
const watermarks = new WeakMap<SiteRepo, Map<string, Oid>>();

function marksOf(repo: SiteRepo): Map<string, Oid> {
  let m = watermarks.get(repo);
  if (!m) watermarks.set(repo, (m = new Map()));
  return m;
}

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
  const marks = marksOf(repo);
  let touched = false;
  for (const { ref, oid } of await repo.listRefs('refs/heads/')) {
    const branch = ref.slice('refs/heads/'.length);
    if (branch === 'published' || !indexableBranch(branch)) continue;
    const mark = marks.get(branch);
    if (mark === oid) continue;
    // Below `mark` every version-carrying commit is indexed. Without one yet (the first walk of
    // this process on the branch), the first indexed commit stands in for it, as start-up
    // reconcile has just indexed what a dead writer left. With one, the walk goes on past
    // indexed commits down to it: a dead writer's commit can be buried under another
    // document's save made after it (another gateway), and must still be found.
    let steps = 0;
    let reached = true; // false once the walk stops short of the mark (too long)
    // `walked`: the commits walked, in order. `unresolvedAt`: the index in it of the last commit
    // a later walk must see again. `linear`: no merge walked, so what lies below a walked commit
    // is the rest of the walk.
    const walked: Oid[] = [];
    let unresolvedAt = -1;
    let linear = true;
    for await (const c of repo.walk(oid)) {
      if (c.oid === mark) break;
      if (++steps > MAX_WALK) {
        reached = false;
        break;
      }
      walked.push(c.oid);
      if (c.parents.length > 1) linear = false;
      const claimed = claims(c);
      if (!claimed.size) continue;
      let indexed = !!seen.get(c.oid);
      // Embedded: the commit of a save of another document still in flight here is not an
      // orphan (writeGate.ts); skip it without asking the index. This process indexes it (or,
      // should its transaction fail, indexOrphan does at once), so it does not hold the mark.
      if (!indexed && !claimed.has(mine) && (inFlight.get(repo)?.has(c.oid) || [...claimed.keys()].some((d) => heldHere(ctx, site, d)))) continue;
      if (!indexed && (await indexedCommits(trx, site.id, [c.oid])).size) {
        seen.set(c.oid, true);
        indexed = true;
      }
      if (indexed) {
        if (mark === undefined) break;
        continue;
      }
      const others = [...claimed.keys()].filter((d) => d !== mine);
      if (!claimed.has(mine) && !(await allFree(ctx, trx, site, others))) {
        unresolvedAt = walked.length - 1; // a live writer elsewhere, or one that died: seen again later
        continue;
      }
      if (claimed.has(mine) && !(await allFree(ctx, trx, site, others))) {
        // Another document of this orphan is held by a live writer: do not wait for it (two
        // writers could wait for each other); keep clear of the number, reconcile indexes it.
        if (storableNumber(claimed.get(mine)!)) await raiseLatestNumber(trx, document, claimed.get(mine)!);
        touched = true;
        unresolvedAt = walked.length - 1;
        continue;
      }
      ctx.log.warn({ site: site.slug, commit: c.oid, branch }, 'indexing a commit a writer left unindexed (it died after moving the ref)');
      // One that cannot be indexed is quarantined (and its claim ignored, as reindex ignores it).
      await indexCommitSafely(ctx, trx, site, branch, c);
      if (claimed.has(mine)) touched = true;
    }
    // The mark moves up over what this walk found indexed: to the head, or, past a commit still
    // unresolved, to the commit below it when the walk was one line. A walk that never met the
    // mark (too long: history rewritten by a push) starts again from the first indexed commit.
    if (!reached) marks.delete(branch);
    else if (unresolvedAt < 0) marks.set(branch, oid);
    else if (linear && unresolvedAt + 1 < walked.length) marks.set(branch, walked[unresolvedAt + 1]!);
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
