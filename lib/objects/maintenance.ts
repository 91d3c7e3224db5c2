/**
 * Automatic maintenance, as `git gc --auto` does it for git users: a store that takes saves must
 * not keep every object loose forever (10,000 versions of a 20 KB page: 234 MB in 50,003 files
 * loose, 5.4 MB packed). Every `every` commits this process makes on a repository, git itself is
 * asked whether maintenance is due (`git gc --auto`: more than gc.auto = 6,700 loose objects,
 * estimated from one fan-out directory, or more than gc.autoPackLimit = 50 packs, which it
 * consolidates into one). The check costs one child process and returns at once when nothing is
 * due; the work runs in that child, never on the event loop, at most one run per repository, and
 * never blocks a save: git packs before it deletes loose copies and prunes only unreachable
 * objects older than two weeks (pack.ts), and it takes ref locks the way our writers do.
 * Without git on the PATH, loose objects are counted and packed with isomorphic-git instead.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { RepoContext } from './context.js';
import { cleanGitEnv, gitAvailable, looseObjectIds, packWithIsomorphicGit } from './pack.js';

const run = promisify(execFile);
/** git's own default for gc.auto. */
export const LOOSE_OBJECT_LIMIT = 6700;

export interface MaintenanceOptions {
  /** Commits between two checks (default 100; 0 turns automatic maintenance off). */
  every?: number;
  /** Told about a failed background run (it is retried at the next check). */
  onError?: (err: unknown) => void;
}

export interface Maintenance {
  /** Counts commits this process wrote; starts a background check every `every`. */
  noteCommit(): void;
  /** Resolves when no background run is in progress (store close, tests). */
  idle(): Promise<void>;
}

export function createMaintenance(ctx: RepoContext, opts: MaintenanceOptions = {}): Maintenance {
  const every = opts.every ?? 100;
  let count = 0;
  let running: Promise<void> | undefined;
  const start = () => {
    if (running) return;
    running = autoGc(ctx)
      .catch((err: unknown) => opts.onError?.(err))
      .finally(() => {
        running = undefined;
      });
  };
  return {
    noteCommit() {
      if (every <= 0) return;
      count++;
      if (count % every === 0) start();
    },
    idle: async () => {
      while (running) await running;
    },
  };
}

async function autoGc(ctx: RepoContext): Promise<void> {
  if (await gitAvailable()) {
    // Not detached: the run is this store's to wait for on close, and its errors reach us.
    await run('git', ['--git-dir', ctx.gitdir, '-c', 'gc.autoDetach=false', 'gc', '--auto', '--quiet'], { env: cleanGitEnv(), maxBuffer: 16 * 1024 * 1024 });
    return;
  }
  const loose = await looseObjectIds(ctx);
  if (loose.length > LOOSE_OBJECT_LIMIT) await packWithIsomorphicGit(ctx, loose);
}
