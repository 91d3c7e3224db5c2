/**
 * Before a push moves its refs: removes the locks on those refs whose holder is gone (a verso
 * writer killed with kill -9 while it held `<ref>.lock`). git itself never removes a lock it
 * did not take; it would wait out core.filesRefLockTimeout and fail the push, over and over,
 * until some save happened to clear it. pre-receive runs before receive-pack takes its locks,
 * so it can judge them first, the same way a waiting writer does (lib/objects/lockFile.ts).
 */
import { join } from 'node:path';
import { removeIfStale } from '../locks/takeover.js';
import { UNKNOWN_HOLDER_STALE_MS } from '../objects/lockFile.js';
import { assertRefName } from '../objects/refs.js';

/** Returns the refs whose stale lock was removed. */
export async function clearPushLocks(a: { gitDir: string; refs: string[] }): Promise<string[]> {
  const removed: string[] = [];
  for (const ref of new Set(a.refs)) {
    try {
      assertRefName(ref);
    } catch {
      continue; // validatePush names the bad ref
    }
    const found = await removeIfStale({ path: join(a.gitDir, `${ref}.lock`), tokenDir: join(a.gitDir, 'verso-takeover'), staleMs: UNKNOWN_HOLDER_STALE_MS, what: ref });
    if (found === 'removed') removed.push(ref);
  }
  return removed;
}
