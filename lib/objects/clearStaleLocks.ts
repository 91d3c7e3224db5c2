/**
 * Recovery of locks left by a killed process (start-up and `verso fsck`). Each lock is judged
 * the way a waiting writer judges it (lockFile.ts): by the holder line verso writes into its
 * own locks, or, for git's locks which carry none, by age (`olderThanMs`). Removal is the
 * atomic takeover of lib/locks/takeover.ts, so a lock re-created in between is left alone.
 */
import { join } from 'node:path';
import { removeIfStale } from '../locks/takeover.js';
import type { RepoContext } from './context.js';
import { looseRefNames } from './refs.js';

export async function clearStaleLocks(ctx: RepoContext, olderThanMs: number): Promise<string[]> {
  const candidates = [...(await looseRefNames(ctx, 'refs', '.lock')), 'packed-refs.lock', 'HEAD.lock', 'config.lock'];
  const removed: string[] = [];
  // No log here: the caller (reconcile) reports each removal with its site.
  for (const rel of candidates) {
    const path = join(ctx.gitdir, rel);
    const found = await removeIfStale({ path, tokenDir: join(ctx.gitdir, 'verso-takeover'), staleMs: olderThanMs, what: rel.replace(/\.lock$/, '') });
    if (found === 'removed') removed.push(path);
  }
  return removed;
}
