/**
 * Group commit on one ref. Writers in this process that commit on the same ref are served in
 * batches: a batch reads the head once, chains the waiting commits in arrival order (each keeps
 * its own changes, author and message, and is the parent of the next), writes all their objects
 * as one pack (writePack.ts: one round of two file fsyncs, one directory fsync) and moves the
 * ref once by compare-and-swap.
 *
 * Why: with 8 concurrent writers each racing for `<ref>.lock` alone, losers slept in the lock
 * backoff and rebuilt and re-fsynced their commits: 35–54 saves/s and 29–30 fsyncs a save on
 * PostgreSQL; batched, 117–125 saves/s and 10.3 fsyncs (docs/benchmarks.md). Another process
 * (git push, a second gateway) is still excluded by the lock file; when the compare-and-swap
 * finds that the ref moved, the whole batch is rebuilt on the new head, as a single writer's
 * retry was; and for the next two seconds this queue builds its batches while holding the
 * ref's lock, so that several processes on one repository (gateways on one data dir) take
 * turns instead of building, packing and fsyncing batches that lose the race.
 *
 * Between batches the queue remembers the head it last set (and its tree), so a batch starts
 * without reading the ref or the head commit; the compare-and-swap under the lock is what
 * checks it, and a refusal is only ever judged against a head read from disk.
 */
import { ConflictError } from '../errors/index.js';
import type { Oid } from '../types.js';
import { casRef, holdRef, type HeldRef } from './casRef.js';
import type { RepoContext } from './context.js';
import { assertOid, frameObject, serializeCommit, type FramedObject } from './gitObject.js';
import { parseCommit } from './commitFormat.js';
import { readCommitShared } from './readObject.js';
import { readRef } from './refs.js';
import { applyChanges } from './trees.js';
import type { CommitInfo, CommitOnRefArgs, CommitOnRefResult } from './types.js';
import { writePack } from './writePack.js';

const MAX_ATTEMPTS = 50;
// How long after another process moved the ref under this queue its batches take the lock first.
const CONTENDED_MS = 2000;
// Bounds one batch's memory and the latency of its first writer.
const MAX_BATCH = 64;

interface Waiter {
  args: CommitOnRefArgs;
  resolve(r: CommitOnRefResult): void;
  reject(err: unknown): void;
}

interface Built {
  waiter: Waiter;
  commit: Oid;
  parent: Oid | undefined;
  /** With `then`: the waiter's commits in order (the last is `commit`). */
  chain: Oid[];
  /** The commits as a reader parses them back: cached once the pack is written. */
  infos: CommitInfo[];
}

interface Chain {
  built: Built[];
  failed: Array<{ waiter: Waiter; err: unknown }>;
  /** Every new object of the chain, once each. */
  objects: FramedObject[];
  /** The tree of the chain's tip. */
  tree: Oid | undefined;
}

export class RefCommitQueue {
  private readonly waiting: Waiter[] = [];
  private draining = false;
  /**
   * The ref's value as this queue last saw it (after its own update, or from a failed
   * compare-and-swap): a guess that saves reading the ref before each batch. casRef checks the
   * real value under the lock, so a stale guess costs one rebuild, never a lost commit.
   */
  private known: { head: Oid; tree?: Oid } | undefined;
  /** Until when batches are built under the ref's lock: another process moved it lately. */
  private contendedUntil = 0;

  constructor(
    private readonly ctx: RepoContext,
    private readonly ref: string,
  ) {}

  submit(args: CommitOnRefArgs): Promise<CommitOnRefResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ args, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) await this.runBatch(this.waiting.splice(0, MAX_BATCH));
    } finally {
      this.draining = false;
    }
  }

  /** Settles every waiter of the batch; never throws. */
  private async runBatch(batch: Waiter[]): Promise<void> {
    let live = batch;
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS && live.length > 0; attempt++) {
        // Alone, a queue builds without the ref's lock and takes it only to move the ref. Once
        // another process has moved the ref under it, it builds under the lock (holdRef) for a
        // while: such an attempt cannot be overtaken, so no batch is built and fsynced twice.
        const held = Date.now() < this.contendedUntil ? await holdRef(this.ctx, this.ref) : undefined;
        try {
          const landed = await this.attempt(live, held);
          if (landed === true) return;
          live = landed;
        } finally {
          await held?.release();
        }
      }
      const err = new ConflictError(`${this.ref} kept moving; gave up after ${MAX_ATTEMPTS} attempts`, { ref: this.ref, attempts: MAX_ATTEMPTS });
      for (const w of live) w.reject(err);
    } catch (err) {
      for (const w of live) w.reject(err);
    }
  }

  /**
   * One attempt at the batch: true once every live waiter is settled, else the waiters left to
   * try again (the ref moved, a stale guess, a waiter dropped). Throws what should fail them all.
   */
  private async attempt(waiters: Waiter[], held: HeldRef | undefined): Promise<true | Waiter[]> {
    const guess = held ? undefined : this.known;
    this.known = undefined;
    const head = held ? held.current : guess ? guess.head : await readRef(this.ctx, this.ref);
    let chain: Chain;
    try {
      chain = await this.build(head, guess?.tree, waiters);
    } catch (err) {
      if (guess) return waiters; // the guessed head is unreadable (gone?): read the ref instead
      throw err;
    }
    // A refusal (a check, a path clash) may come from a stale guess: judge on the real head.
    if (chain.failed.length > 0 && guess) return waiters;
    for (const f of chain.failed) f.waiter.reject(f.err);
    const built = chain.built;
    const live = built.map((b) => b.waiter);
    if (built.length === 0) return true;
    announce(built);
    // One pack for the whole batch (writePack.ts); nothing references it until the ref moves.
    await writePack(this.ctx, chain.objects);
    // The next saves walk these heads (takeNumber.ts) and build on the tip: no read back.
    for (const b of built) for (const info of b.infos) this.ctx.commits.set(info.oid, info);
    const dropped = runBeforeRefMove(built);
    if (dropped) return live.filter((w) => w !== dropped); // rebuild the chain without it
    // Moving the ref fsyncs the objects' directories before the ref can point at them.
    const tip = built[built.length - 1]!.commit;
    if (held) {
      await held.move(tip);
    } else {
      const cas = await casRef(this.ctx, this.ref, head, tip);
      if (!cas.ok) {
        this.contendedUntil = Date.now() + CONTENDED_MS;
        // Only an existing head is worth guessing: "missing" is re-read next time.
        this.known = cas.current === undefined ? undefined : { head: cas.current };
        return live;
      }
    }
    this.known = { head: tip, tree: chain.tree };
    for (const b of built) b.waiter.resolve({ commit: b.commit, parent: b.parent, ...(b.waiter.args.then ? { chain: b.chain } : {}) });
    return true;
  }

  /**
   * Chains the waiters' commits on `head` (nothing is written here). A waiter whose check or
   * changes fail is left out of the chain and reported in `failed`.
   */
  private async build(head: Oid | undefined, headTree: Oid | undefined, live: Waiter[]): Promise<Chain> {
    const ctx = this.ctx;
    let parent = head;
    let tree = headTree ?? (head === undefined ? undefined : (await readCommitShared(ctx, head)).tree);
    const objects = new Map<Oid, FramedObject>();
    const chain: Chain = { built: [], failed: [], objects: [], tree: undefined };
    for (const waiter of live) {
      const a = waiter.args;
      try {
        if (a.check) await a.check(parent);
        a.extraParents?.forEach((p, i) => assertOid(p, `extraParents[${i}]`));
        // Built aside first: a failing step leaves neither the chain nor the objects touched.
        const own: FramedObject[] = [];
        const mine: Built = { waiter, commit: '' as Oid, parent, chain: [], infos: [] };
        let at = { parent, tree };
        for (const [i, step] of [a, ...(a.then ?? [])].entries()) {
          const blobs = (step.blobs ?? []).map((b) => frameObject('blob', b));
          own.push(...blobs);
          const newTree = await applyChanges(ctx, at.tree, step.changes, own);
          const body = serializeCommit({
            tree: newTree,
            parents: [...(at.parent === undefined ? [] : [at.parent]), ...(i === 0 ? (a.extraParents ?? []) : [])],
            author: step.author,
            committer: step.committer ?? step.author,
            message: step.message,
          });
          const commit = frameObject('commit', body);
          own.push(commit);
          mine.chain.push(commit.oid);
          const info = parseCommit(commit.oid, body);
          if (info) mine.infos.push(info);
          at = { parent: commit.oid, tree: newTree };
        }
        for (const o of own) objects.set(o.oid, o);
        mine.commit = at.parent!;
        chain.built.push(mine);
        parent = at.parent;
        tree = at.tree;
      } catch (err) {
        chain.failed.push({ waiter, err });
      }
    }
    chain.objects = [...objects.values()];
    chain.tree = tree;
    return chain;
  }
}

/** Tells each writer its commit id before the fsyncs (CommitOnRefArgs.onBuilt); a throwing listener is ignored. */
function announce(built: Built[]): void {
  for (const b of built) {
    try {
      b.waiter.args.onBuilt?.(b.commit);
    } catch {
      // The listener's own business: the commit goes on.
    }
  }
}

/** Runs each beforeRefMove hook; returns the first waiter whose hook threw (it is rejected). */
function runBeforeRefMove(built: Built[]): Waiter | undefined {
  for (const b of built) {
    try {
      b.waiter.args.beforeRefMove?.();
    } catch (err) {
      b.waiter.reject(err);
      return b.waiter;
    }
  }
  return undefined;
}
