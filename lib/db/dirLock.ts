/**
 * An exclusive lock on an embedded data dir (PGlite allows one process per database).
 *
 * Exactly one process may win, also when several start at the same instant or take over a
 * stale lock together. So: the lock file appears with its holder line already in it (written
 * to a temporary file, then link(2)ed into place, which fails when the name exists) — the old
 * O_EXCL-then-write left an empty file that a racing opener read as "stale" and deleted. A
 * stale lock is removed only through lib/locks/takeover.ts, which lets one remover act and
 * never removes a lock created after it was judged.
 *
 * Stale means: the holder (pid + start time, this host and boot) is not running, or, for a
 * holder that cannot be judged (another host sharing the directory), the lock has not been
 * refreshed for STALE_MS: the holder touches it every HEARTBEAT_MS.
 */
import { readFile, stat, unlink, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConflictError } from '../errors/index.js';
import { judgeHolder, parseHolder } from '../locks/holder.js';
import { createWithHolder, removeIfStale, type LockLog } from '../locks/takeover.js';

export interface DirLock {
  release(): Promise<void>;
}

const HEARTBEAT_MS = 10_000;
const STALE_MS = 60_000;

export async function acquireDirLock(path: string, log?: LockLog): Promise<DirLock> {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createWithHolder(path, dirname(path))) return held(path);
    const found = await removeIfStale({ path, tokenDir: dirname(path), staleMs: STALE_MS, what: 'data dir', ...(log ? { log } : {}) });
    if (found === 'held') throw await heldError(path);
    // Removed (by us or a racing opener) or gone: try to create it again.
  }
  throw new ConflictError('could not lock the data dir: other processes keep taking it', { lock: path });
}

async function held(path: string): Promise<DirLock> {
  const { ino } = await stat(path);
  const beat = setInterval(() => {
    const now = new Date();
    void utimes(path, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  beat.unref();
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(beat);
      // Only our own file: after a (wrong) takeover the name may be another process's lock.
      const now = await stat(path).catch(() => undefined);
      if (now?.ino === ino) await unlink(path).catch(() => undefined);
    },
  };
}

async function heldError(path: string): Promise<ConflictError> {
  const holder = parseHolder(await readFile(path, 'utf8').catch(() => ''));
  if (holder?.pid === process.pid && judgeHolder(holder) === 'alive') {
    return new ConflictError('this data dir is already open in this process; close the other store first', { lock: path });
  }
  const who = holder ? `pid ${holder.pid} on ${holder.host}` : 'another process';
  return new ConflictError(
    `the embedded database in this data dir is open in another process (${who}); ` +
      'stop it, or talk to it with --remote, or use a PostgreSQL --database-url',
    { ...(holder ? { pid: holder.pid } : {}), lock: path },
  );
}
