/**
 * Merge bases by git's paint_down_to_common (commit-reach.c): walk from both sides in date
 * order painting PARENT1/PARENT2; a commit painted by both is a candidate and makes everything
 * below it STALE; stop when only stale commits remain queued.
 */
import type { Oid } from '../types.js';
import type { RepoContext } from './context.js';
import { MaxHeap } from './heap.js';
import { readCommitShared } from './readObject.js';

const PARENT1 = 1;
const PARENT2 = 2;
const STALE = 4;
const RESULT = 8;

async function paintDownToCommon(ctx: RepoContext, one: Oid, two: Oid, stopWhenBoth?: Oid): Promise<Oid[]> {
  const flags = new Map<Oid, number>();
  // Each queue entry remembers whether it was counted as non-stale when pushed, so the count
  // stays exact when a commit is queued again after it was painted STALE.
  const heap = new MaxHeap<{ oid: Oid; counted: boolean }>();
  let nonStale = 0;
  const push = async (oid: Oid): Promise<void> => {
    const c = await readCommitShared(ctx, oid);
    const counted = !(flags.get(oid)! & STALE);
    if (counted) nonStale++;
    heap.push({ oid, counted }, c.committer.timestamp);
  };
  flags.set(one, PARENT1);
  flags.set(two, (flags.get(two) ?? 0) | PARENT2);
  await push(one);
  if (two !== one) await push(two);

  const result: Oid[] = [];
  while (nonStale > 0 && heap.size > 0) {
    const { oid, counted } = heap.pop()!;
    if (counted) nonStale--;
    const f = flags.get(oid)!;
    let carry = f & (PARENT1 | PARENT2 | STALE);
    if ((carry & (PARENT1 | PARENT2)) === (PARENT1 | PARENT2)) {
      if (!(f & RESULT)) {
        flags.set(oid, f | RESULT);
        result.push(oid);
        if (oid === stopWhenBoth) return result;
      }
      carry |= STALE;
    }
    const c = await readCommitShared(ctx, oid);
    for (const p of c.parents) {
      const pf = flags.get(p) ?? 0;
      if ((pf & carry) === carry) continue;
      flags.set(p, pf | carry);
      await push(p);
    }
  }
  // A candidate painted STALE later lies below another candidate (git: merge_bases_many).
  return result.filter((oid) => !(flags.get(oid)! & STALE));
}

/** True when `ancestor` is reachable from `descendant` (a commit is its own ancestor, as in git). */
export async function isAncestor(ctx: RepoContext, ancestor: Oid, descendant: Oid): Promise<boolean> {
  if (ancestor === descendant) {
    await readCommitShared(ctx, ancestor); // NotFound for a missing commit, like the other path
    return true;
  }
  const found = await paintDownToCommon(ctx, ancestor, descendant, ancestor);
  return found.includes(ancestor);
}

/** The best common ancestor: candidates that are ancestors of other candidates are dropped. */
export async function mergeBase(ctx: RepoContext, a: Oid, b: Oid): Promise<Oid | undefined> {
  if (a === b) {
    await readCommitShared(ctx, a);
    return a;
  }
  const candidates = await paintDownToCommon(ctx, a, b);
  if (candidates.length <= 1) return candidates[0];
  const best: Oid[] = [];
  for (const c of candidates) {
    let redundant = false;
    for (const other of candidates) {
      if (other !== c && (await isAncestor(ctx, c, other))) {
        redundant = true;
        break;
      }
    }
    if (!redundant) best.push(c);
  }
  // Several remain only in criss-cross histories; git merge-base prints the newest first.
  let pick = best[0];
  for (const c of best.slice(1)) {
    if ((await readCommitShared(ctx, c)).committer.timestamp > (await readCommitShared(ctx, pick!)).committer.timestamp) pick = c;
  }
  return pick;
}
