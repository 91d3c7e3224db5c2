/**
 * Compare-and-swap of a ref under git's lock (see lockFile.ts): the old value is read only
 * while holding `<ref>.lock`, so two savers, or a saver and `git push`, cannot both win.
 */
import { join } from 'node:path';
import { readFile, unlink } from 'node:fs/promises';
import { ValidationError } from '../errors/index.js';
import type { Oid } from '../types.js';
import type { RepoContext } from './context.js';
import { fsyncDir } from './fsync.js';
import { assertOid } from './gitObject.js';
import { LockFile } from './lockFile.js';
import { assertRefName, readDirectRef } from './refs.js';
import type { CasResult } from './types.js';

export async function casRef(ctx: RepoContext, ref: string, expected: Oid | undefined, next: Oid | null): Promise<CasResult> {
  assertRefName(ref);
  if (expected !== undefined) assertOid(expected, 'expected');
  if (next !== null) assertOid(next, 'next');
  const held = await holdRef(ctx, ref);
  try {
    const { current } = held;
    if (current !== expected) return { ok: false, ...(current === undefined ? {} : { current }) };
    if (next !== null) {
      await held.move(next);
    } else {
      // git deletes from packed-refs first, then the loose file, so no reader ever sees an
      // older packed value resurface.
      await removeFromPackedRefs(ctx, ref);
      await unlink(join(ctx.gitdir, ref)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
      if (ctx.fsyncEnabled) await fsyncDir(join(ctx.gitdir, ref, '..'));
    }
    return { ok: true };
  } finally {
    await held.release();
  }
}

/** A ref under its lock: its value, read while holding the lock, and the one way to move it. */
export interface HeldRef {
  current: Oid | undefined;
  /** Points the ref at `next` (once) and releases the lock. */
  move(next: Oid): Promise<void>;
  /** Gives the lock up; a no-op once moved. */
  release(): Promise<void>;
}

/**
 * Takes `<ref>.lock` and reads the ref under it. What the holder builds on `current` cannot be
 * overtaken by another writer (git, another process) before `move`: the commit queue builds a
 * batch this way once another process has moved the ref under it (commitQueue.ts).
 */
export async function holdRef(ctx: RepoContext, ref: string): Promise<HeldRef> {
  assertRefName(ref);
  const lock = await lockRef(ctx, ref);
  let current: Awaited<ReturnType<typeof readDirectRef>>;
  try {
    current = await readDirectRef(ctx, ref);
    if (typeof current === 'object') {
      throw new ValidationError(`ref ${ref} is symbolic (-> ${current.symref}); move its target instead`, { ref });
    }
  } catch (err) {
    await lock.release();
    throw err;
  }
  return {
    current,
    // Objects written since the last flush may still have unsynced directory entries: make
    // them durable before the ref can point at them, overlapped with the lock file's fsync.
    move: (next) => lock.commit(`${next}\n`, () => ctx.dirSync.flush()),
    release: () => lock.release(),
  };
}

/** Takes `<ref>.lock` (exported for tests that must hold it while git runs). */
export function lockRef(ctx: RepoContext, ref: string): Promise<LockFile> {
  return LockFile.acquire(join(ctx.gitdir, ref), {
    timeoutMs: ctx.lockTimeoutMs,
    fsyncEnabled: ctx.fsyncEnabled,
    what: ref,
    root: ctx.gitdir,
    log: ctx.log,
  });
}

/** Rewrites packed-refs without `ref`, under `packed-refs.lock` as git does. */
async function removeFromPackedRefs(ctx: RepoContext, ref: string): Promise<void> {
  const path = join(ctx.gitdir, 'packed-refs');
  const quick = await readFile(path, 'utf8').catch(() => '');
  if (!quick.includes(` ${ref}\n`)) return;
  const lock = await LockFile.acquire(path, {
    timeoutMs: ctx.lockTimeoutMs,
    fsyncEnabled: ctx.fsyncEnabled,
    what: 'packed-refs',
    root: ctx.gitdir,
    log: ctx.log,
  });
  try {
    const lines = (await readFile(path, 'utf8')).split('\n');
    const kept: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.length > 41 && line.slice(41) === ref && !line.startsWith('#') && !line.startsWith('^')) {
        if (lines[i + 1]?.startsWith('^')) i++; // its peeled value goes too
        continue;
      }
      kept.push(line);
    }
    await lock.commit(kept.join('\n'));
  } finally {
    await lock.release();
  }
}
