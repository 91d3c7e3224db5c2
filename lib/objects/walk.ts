/**
 * History walks, newest first with children before parents.
 *
 * Without `stopAt` the walk is lazy (callers such as reconcile stop after a window): commits are
 * popped in committer-date order, a parent's key clamped to at most its child's, and every run
 * of commits sharing one key is gathered whole and topologically sorted before it is emitted.
 * That is exactly topological whenever dates never go backwards from parent to child, which
 * verso's own saves ensure; a history with skewed clocks (an import) still yields every commit
 * once, in date order. Exact topological order at any skew needs either the whole range up front
 * (git rev-list --topo-order without a commit-graph) or generation numbers; the `stopAt` walk,
 * bounded by its range, does the former.
 */
import type { Oid } from '../types.js';
import type { RepoContext } from './context.js';
import { MaxHeap } from './heap.js';
import { copyCommit, readCommitShared } from './readObject.js';
import type { CommitInfo } from './types.js';

// Extra commits popped after the last interesting one, to survive small clock skews
// (git's revision.c uses the same idea, SLOP = 5).
const SLOP = 5;

export async function* walk(ctx: RepoContext, from: Oid, opts: { stopAt?: Oid[] } = {}): AsyncIterable<CommitInfo> {
  if (opts.stopAt && opts.stopAt.length > 0) {
    const range = await collectRange(ctx, from, opts.stopAt);
    for (const c of topoDateOrder(range)) yield copyCommit(c);
    return;
  }
  for await (const c of lazyWalk(ctx, from)) yield copyCommit(c);
}

async function* lazyWalk(ctx: RepoContext, from: Oid): AsyncIterable<CommitInfo> {
  const key = new Map<Oid, number>(); // clamped date of every discovered commit
  const emitted = new Set<Oid>();
  const heap = new MaxHeap<{ commit: CommitInfo; key: number }>();

  const discover = async (oid: Oid, ceiling: number): Promise<void> => {
    const known = key.get(oid);
    if (known !== undefined) {
      // Seen through a newer child first: lower it (the old heap entry becomes stale).
      if (ceiling < known && !emitted.has(oid)) {
        key.set(oid, ceiling);
        heap.push({ commit: await readCommitShared(ctx, oid), key: ceiling }, ceiling);
      }
      return;
    }
    const commit = await readCommitShared(ctx, oid);
    const k = Math.min(commit.committer.timestamp, ceiling);
    if (key.has(oid)) return discover(oid, ceiling); // a sibling read got here first
    key.set(oid, k);
    heap.push({ commit, key: k }, k);
  };
  const popLive = (): { commit: CommitInfo; key: number } | undefined => {
    for (;;) {
      const e = heap.pop();
      if (!e) return undefined;
      if (!emitted.has(e.commit.oid) && key.get(e.commit.oid) === e.key) return e;
    }
  };

  await discover(from, Infinity);
  for (;;) {
    const first = popLive();
    if (!first) return;
    // Gather every commit with this key, expanding parents as we go (they may share the key).
    const batch = new Map<Oid, CommitInfo>();
    let e: { commit: CommitInfo; key: number } | undefined = first;
    while (e) {
      batch.set(e.commit.oid, e.commit);
      emitted.add(e.commit.oid);
      await Promise.all(e.commit.parents.map((p) => discover(p, first.key)));
      e = undefined;
      while (heap.size > 0) {
        const next = popLive();
        if (!next) break;
        if (next.key === first.key) e = next;
        else heap.push(next, next.key);
        break;
      }
    }
    for (const c of topoDateOrder(batch)) yield c;
  }
}

/**
 * Commits reachable from `from` and not from any of `stopAt`, found by a date-ordered walk of
 * both sides at once that stops when only uninteresting commits remain queued.
 */
async function collectRange(ctx: RepoContext, from: Oid, stopAt: readonly Oid[]): Promise<Map<Oid, CommitInfo>> {
  const UNINTERESTING = 1;
  const flags = new Map<Oid, number>();
  const popped = new Map<Oid, CommitInfo>();
  const queued = new Set<Oid>();
  const heap = new MaxHeap<CommitInfo>();
  let interestingQueued = 0;

  const enqueue = async (oid: Oid, flag: number): Promise<void> => {
    const known = flags.get(oid);
    if (known !== undefined) {
      if (flag & UNINTERESTING) markUninteresting(oid);
      return;
    }
    const c = await readCommitShared(ctx, oid);
    if (flags.has(oid)) return enqueue(oid, flag); // raced with a sibling read
    flags.set(oid, flag);
    queued.add(oid);
    if (!(flag & UNINTERESTING)) interestingQueued++;
    heap.push(c, c.committer.timestamp);
  };

  // Marks oid and everything already known below it uninteresting (git: mark_parents_uninteresting).
  const markUninteresting = (start: Oid): void => {
    const stack = [start];
    while (stack.length > 0) {
      const oid = stack.pop()!;
      const f = flags.get(oid);
      if (f === undefined || f & UNINTERESTING) continue;
      flags.set(oid, f | UNINTERESTING);
      if (queued.has(oid)) interestingQueued--;
      const c = popped.get(oid);
      if (c) stack.push(...c.parents);
    }
  };

  await Promise.all(stopAt.map((s) => enqueue(s, UNINTERESTING)));
  await enqueue(from, 0);
  let slop = SLOP;
  while (heap.size > 0) {
    if (interestingQueued === 0 && slop-- <= 0) break;
    const c = heap.pop()!;
    queued.delete(c.oid);
    const f = flags.get(c.oid)!;
    if (!(f & UNINTERESTING)) interestingQueued--;
    popped.set(c.oid, c);
    if (interestingQueued > 0) slop = SLOP;
    await Promise.all(c.parents.map((p) => enqueue(p, f & UNINTERESTING)));
  }
  const range = new Map<Oid, CommitInfo>();
  for (const [oid, c] of popped) if (!(flags.get(oid)! & UNINTERESTING)) range.set(oid, c);
  return range;
}

/** Children before parents; among commits whose children are all out, the newest first. */
function* topoDateOrder(range: Map<Oid, CommitInfo>): Iterable<CommitInfo> {
  const pendingChildren = new Map<Oid, number>();
  for (const c of range.values()) {
    for (const p of new Set(c.parents)) {
      if (range.has(p)) pendingChildren.set(p, (pendingChildren.get(p) ?? 0) + 1);
    }
  }
  const ready = new MaxHeap<CommitInfo>();
  for (const c of range.values()) if (!pendingChildren.get(c.oid)) ready.push(c, c.committer.timestamp);
  while (ready.size > 0) {
    const c = ready.pop()!;
    yield c;
    for (const p of new Set(c.parents)) {
      const n = pendingChildren.get(p);
      if (n === undefined) continue;
      if (n === 1) {
        pendingChildren.delete(p);
        ready.push(range.get(p)!, range.get(p)!.committer.timestamp);
      } else pendingChildren.set(p, n - 1);
    }
  }
}
