/**
 * Automatic maintenance, as `git gc --auto` and `git maintenance` do it for git users. Saves
 * write one small undeltified pack per batch (writePack.ts); left alone, they would pile up
 * (a 20 KB page: 1,500 saves took 35 MB loose, 0.9 MB after git gc) and every pack costs a
 * reader one more index to search. So, in a child process, never on the event loop, at most one
 * run per repository at a time, across processes too (maintenanceLock.ts), and never blocking
 * a save:
 *
 * - `git repack -d -l --geometric=2` rolls the small packs up until each pack holds at least
 *   twice the objects of all smaller ones together (a few packs, logarithmic in the history),
 *   with deltas among the rolled-up objects. It writes the new pack before deleting the ones it
 *   replaces, and puts every object of them (reachable or not) into it, so a save in flight
 *   loses nothing; readers that find a pack gone under them re-list (readObject.ts), as git's
 *   own readers do.
 * - `git gc --auto` then does what git would: pack loose objects past gc.auto (6,700; they come
 *   now only from writes outside the commit queue, and from pushes), a full repack past
 *   gc.autoPackLimit (50) packs, pruning only unreachable objects older than two weeks (pack.ts).
 * - Leftovers of a crashed pack write, once old, are removed (packFiles.ts).
 *
 * A run starts every `every` commits this process makes on the repository, and sooner when
 * `objects/pack` holds PACK_LIMIT packs, checked (one readdir) at the first commit and every
 * PACK_CHECK_EVERY: a process that makes few commits each (the CLI) still keeps packs in check.
 * Without git on the PATH, loose objects are packed with isomorphic-git; packs are then not
 * consolidated (they stay undeltified: about the size loose objects had).
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { RepoContext } from './context.js';
import { cleanGitEnv, gitAvailable, looseObjectIds, packWithIsomorphicGit } from './pack.js';
import { tryMaintenanceLock } from './maintenanceLock.js';
import { forgetRemovedPacks, listPacks, removeOrphanPacks } from './packFiles.js';
import { packDir } from './writePack.js';

const run = promisify(execFile);
/** git's own default for gc.auto. */
export const LOOSE_OBJECT_LIMIT = 6700;
/** Packs in objects/pack that start a run before `every` commits are reached. */
export const PACK_LIMIT = 16;
const PACK_CHECK_EVERY = 10;

export interface MaintenanceOptions {
  /** Commits between two runs (default 100; 0 turns automatic maintenance off). */
  every?: number;
  /** Told about a failed background run (it is retried at the next check). */
  onError?: (err: unknown) => void;
}

export interface Maintenance {
  /** Counts commits this process wrote; starts a background run when one is due. */
  noteCommit(): void;
  /** Resolves when no background run is in progress (store close, tests). */
  idle(): Promise<void>;
}

export function createMaintenance(ctx: RepoContext, opts: MaintenanceOptions = {}): Maintenance {
  const every = opts.every ?? 100;
  let count = 0;
  let running: Promise<void> | undefined;
  let checking: Promise<void> | undefined;
  const start = () => {
    if (running) return;
    running = autoMaintain(ctx)
      .catch((err: unknown) => opts.onError?.(err))
      .finally(() => {
        running = undefined;
      });
  };
  const checkPacks = () => {
    if (running || checking) return;
    checking = countPacks(ctx)
      .then((n) => {
        if (n >= PACK_LIMIT) start();
      })
      .catch((err: unknown) => opts.onError?.(err))
      .finally(() => {
        checking = undefined;
      });
  };
  return {
    noteCommit() {
      if (every <= 0) return;
      count++;
      if (count % every === 0) start();
      else if (count === 1 || count % PACK_CHECK_EVERY === 0) checkPacks();
    },
    idle: async () => {
      while (running || checking) await (running ?? checking);
    },
  };
}

async function countPacks(ctx: RepoContext): Promise<number> {
  const files = await readdir(packDir(ctx.gitdir)).catch(() => [] as string[]);
  return files.filter((f) => f.endsWith('.idx')).length;
}

async function autoMaintain(ctx: RepoContext): Promise<void> {
  // Another process (a gateway on the same data dir, `verso gc`) is at it: skip, retried later.
  const release = await tryMaintenanceLock(ctx);
  if (!release) return;
  try {
    await maintain(ctx);
  } finally {
    await release();
  }
}

async function maintain(ctx: RepoContext): Promise<void> {
  await removeOrphanPacks(ctx);
  if (await gitAvailable()) {
    const git = (args: string[]) => run('git', ['--git-dir', ctx.gitdir, ...args], { env: cleanGitEnv(), maxBuffer: 16 * 1024 * 1024 });
    try {
      if ((await listPacks(ctx)).length > 1) await git(['repack', '-d', '-l', '--geometric=2', '--quiet']);
      // Not detached: the run is this store's to wait for on close, and its errors reach us.
      await git(['-c', 'gc.autoDetach=false', 'gc', '--auto', '--quiet']);
    } finally {
      await forgetRemovedPacks(ctx);
    }
    return;
  }
  const loose = await looseObjectIds(ctx);
  if (loose.length > LOOSE_OBJECT_LIMIT) await packWithIsomorphicGit(ctx, loose);
}
