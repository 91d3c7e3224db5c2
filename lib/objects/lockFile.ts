/**
 * Git's lock-file protocol (lockfile.c): `<path>.lock` created with O_EXCL is the lock; the new
 * content is written to it, fsynced, and renamed over `<path>`, which releases the lock and
 * publishes the value atomically. git (update-ref, receive-pack, pack-refs) takes the same
 * locks, so verso and git exclude each other.
 *
 * Git reads a lock's content only after the rename (it never reads `<ref>.lock` itself), so
 * while we hold it the file carries our holder line (lib/locks/holder.ts) and the value
 * replaces it at commit. A writer that finds the lock taken judges it by that holder (or, for
 * a lock without one, such as git's, by age) every time it waits, and removes it atomically
 * when the holder is gone (lib/locks/takeover.ts): a kill -9 never blocks a branch.
 */
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { holderLine } from '../locks/holder.js';
import { removeIfStale, type LockLog } from '../locks/takeover.js';
import { fsyncDir } from './fsync.js';
import { RefLockedError } from './errors.js';

/**
 * A lock without a holder line (git's, or ours in the microseconds between create and write)
 * is stale past this age. Git holds a ref lock for one ref transaction (milliseconds); 30 s
 * is far above that and well below the minutes a blocked branch used to stay blocked.
 */
export const UNKNOWN_HOLDER_STALE_MS = 30_000;

/** How often a waiting writer re-judges the holder of the lock it waits for. */
const JUDGE_EVERY_MS = 200;

export interface LockOptions {
  timeoutMs: number;
  fsyncEnabled: boolean;
  /** Names the lock in the error, e.g. the ref. */
  what: string;
  /** Directory fsyncs stop here (the git dir); takeover tokens live in `<root>/verso-takeover`. */
  root: string;
  /** Receives one line per stale lock removed. */
  log?: LockLog;
  /** Default UNKNOWN_HOLDER_STALE_MS. */
  staleMs?: number;
}

export class LockFile {
  private fh: FileHandle | undefined;
  private done = false;

  private constructor(
    readonly target: string,
    readonly lockPath: string,
    fh: FileHandle,
    private readonly opts: LockOptions,
    /** Directories created for the lock; their parents need an fsync for the rename to last. */
    private readonly createdDirs: string[],
  ) {
    this.fh = fh;
  }

  /**
   * Takes the lock on `target`, retrying with jittered exponential backoff (git does the same
   * in lock_file_timeout) until `timeoutMs`, then throws RefLockedError.
   */
  static async acquire(target: string, opts: LockOptions): Promise<LockFile> {
    const lockPath = `${target}.lock`;
    const deadline = Date.now() + opts.timeoutMs;
    const createdDirs: string[] = [];
    let delay = 1;
    let judgeAt = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const fh = await open(lockPath, 'wx', 0o666);
        try {
          await fh.write(holderLine(), 0);
        } catch (err) {
          await fh.close().catch(() => undefined);
          await unlink(lockPath).catch(() => undefined);
          throw err;
        }
        return new LockFile(target, lockPath, fh, opts, createdDirs);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // Missing parent directory (a new ref, or git removed an emptied one): create and retry.
        if (code === 'ENOENT' && attempt < 10) {
          const first = await mkdir(dirname(lockPath), { recursive: true });
          if (first !== undefined) createdDirs.push(first);
          continue;
        }
        if (code !== 'EEXIST') throw err;
        if (Date.now() >= judgeAt) {
          judgeAt = Date.now() + JUDGE_EVERY_MS;
          const found = await removeIfStale({
            path: lockPath,
            tokenDir: join(opts.root, 'verso-takeover'),
            staleMs: opts.staleMs ?? UNKNOWN_HOLDER_STALE_MS,
            what: opts.what,
            ...(opts.log ? { log: opts.log } : {}),
          });
          if (found !== 'held') continue;
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new RefLockedError(`${opts.what} is locked by another writer`, {
            ref: opts.what,
            lock: relative(opts.root, lockPath),
            timeoutMs: opts.timeoutMs,
          }, err);
        }
        await sleep(Math.min(left, delay * (0.5 + Math.random())));
        delay = Math.min(delay * 2, 50);
      }
    }
  }

  /**
   * Writes `content`, fsyncs it and renames the lock over the target (commit_lock_file).
   * `alongside` runs concurrently with the fsync and must finish before the rename: casRef
   * makes the new objects' directories durable there, saving one fsync round-trip a save.
   */
  async commit(content: string | Uint8Array, alongside?: () => Promise<void>): Promise<void> {
    const fh = this.fh!;
    // Over the holder line: write at offset 0, then cut what the line left beyond the value.
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    await fh.write(bytes, 0, bytes.length, 0);
    await fh.truncate(bytes.length);
    await Promise.all([this.opts.fsyncEnabled ? fh.sync() : undefined, alongside?.()]);
    await fh.close();
    this.fh = undefined;
    await rename(this.lockPath, this.target);
    this.done = true;
    await this.syncDirs();
  }

  /** Fsyncs the target's directory and the parents of any directory the lock created. */
  async syncDirs(): Promise<void> {
    if (!this.opts.fsyncEnabled) return;
    const dirs = new Set<string>([dirname(this.target)]);
    for (const created of this.createdDirs) {
      // New entries: `created` in its parent, and each new directory down to the target's.
      dirs.add(dirname(created));
      for (let d = dirname(this.target); d.length >= created.length; d = dirname(d)) dirs.add(d);
    }
    await Promise.all([...dirs].map((d) => fsyncDir(d)));
  }

  /** Drops the lock without touching the target. Safe to call after commit (no-op). */
  async release(): Promise<void> {
    if (this.fh) {
      await this.fh.close().catch(() => undefined);
      this.fh = undefined;
    }
    if (this.done) return;
    this.done = true;
    await unlink(this.lockPath).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
