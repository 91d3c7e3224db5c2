/**
 * Recovery of locks left by a killed process. A ref lock is held for milliseconds (ours) or
 * the length of one ref transaction (git's), so one older than `olderThanMs` has no live
 * holder. Git lock files carry no pid, so age is the only evidence; the inode is re-checked
 * right before unlinking so that a lock re-created in between is left alone.
 */
import { lstat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { RepoContext } from './context.js';
import { looseRefNames } from './refs.js';

export async function clearStaleLocks(ctx: RepoContext, olderThanMs: number): Promise<string[]> {
  const candidates = [
    ...(await looseRefNames(ctx, 'refs', '.lock')),
    'packed-refs.lock',
    'HEAD.lock',
  ].map((rel) => join(ctx.gitdir, rel));
  const removed: string[] = [];
  for (const path of candidates) {
    const before = await lstat(path).catch(() => undefined);
    if (!before?.isFile() || Date.now() - before.mtimeMs < olderThanMs) continue;
    const again = await lstat(path).catch(() => undefined);
    if (!again || again.ino !== before.ino || again.mtimeMs !== before.mtimeMs) continue;
    try {
      await unlink(path);
      removed.push(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return removed;
}
