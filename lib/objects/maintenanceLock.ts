/**
 * One maintenance run per repository at a time, across processes. `git repack` does not take
 * the `gc.pid` lock `git gc` takes, so two gateways' background repacks on one data dir (or one
 * and `verso gc`) would each delete packs the other is still reading or rolling up. The
 * run holds `<git dir>/verso-maintenance.lock`, which carries the holder line every verso lock
 * carries: a background run skips while another process holds it (it is retried at the next
 * trigger), `verso gc` waits for it, and a holder that died is judged and removed the way a
 * stale ref lock is (locks/takeover.ts).
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createWithHolder, removeIfStale } from '../locks/takeover.js';
import { UnavailableError } from '../errors/index.js';
import type { RepoContext } from './context.js';

/** A lock with no holder line we can judge (another host) is taken over past this age. */
const FOREIGN_HOLDER_STALE_MS = 60 * 60 * 1000;
const POLL_MS = 100;

export type Release = () => Promise<void>;

/** The lock, or undefined when a live process holds it. */
export async function tryMaintenanceLock(ctx: RepoContext): Promise<Release | undefined> {
  const path = join(ctx.gitdir, 'verso-maintenance.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createWithHolder(path, ctx.gitdir)) return () => unlink(path).catch(() => undefined);
    const found = await removeIfStale({ path, tokenDir: join(ctx.gitdir, 'verso-takeover'), staleMs: FOREIGN_HOLDER_STALE_MS, what: 'maintenance', log: ctx.log });
    if (found === 'held') return undefined;
  }
  return undefined;
}

/** Waits (polling) until the lock is free, up to `timeoutMs`; then `unavailable`. */
export async function waitMaintenanceLock(ctx: RepoContext, timeoutMs: number): Promise<Release> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const release = await tryMaintenanceLock(ctx);
    if (release) return release;
    if (Date.now() >= deadline) throw new UnavailableError('another process is packing this repository; try again', { reason: 'maintenance_running' });
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
