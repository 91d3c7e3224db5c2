/**
 * Removing a lock whose holder is gone, so that exactly one process does it and a fresh lock
 * taken in between is never removed. Two processes that both judged one stale lock must not
 * both unlink: the second would unlink the lock the first (or anyone) just created. So the
 * remover first takes a takeover token named after the stale file's identity (inode and
 * ctime, nanoseconds), created with link(2), which fails when the name exists and publishes
 * the token with its holder line already in it. Holding the token, it checks that the lock is
 * still that same file before unlinking it. A token whose holder died is itself stale and is
 * taken over the same way (its own token is named after its identity).
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { holderLine, judgeHolder, parseHolder, type Holder, type Verdict } from './holder.js';

export interface LockLog {
  warn(data: object, msg: string): void;
}

export interface StaleLockArgs {
  /** The lock file. */
  path: string;
  /** Where takeover tokens (and their temporary files, for link(2)) are created. */
  tokenDir: string;
  /** A lock whose holder cannot be judged (no holder line, another host) is stale past this age. */
  staleMs: number;
  log?: LockLog;
  /** For the log, e.g. the ref. */
  what: string;
}

interface Seen {
  id: string;
  holder: Holder | undefined;
  verdict: Verdict;
  ageMs: number;
}

/** Reads the lock's content and identity from one open file, so both describe one inode. */
async function inspect(path: string): Promise<Seen | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const st = await fh.stat({ bigint: true });
    if (!st.isFile()) return undefined;
    // The holder line is the first line; a packed-refs.lock being written can be large.
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const holder = parseHolder(text);
    return { id: `${st.ino}-${st.ctimeNs}`, holder, verdict: judgeHolder(holder), ageMs: Date.now() - Number(st.mtimeMs) };
  } finally {
    await fh.close();
  }
}

/** Is the lock at `path` stale by its holder, or (holder unknown) by its age? */
function isStale(seen: Seen, staleMs: number): boolean {
  return seen.verdict === 'dead' || (seen.verdict === 'unknown' && seen.ageMs > staleMs);
}

/** Creates `path` holding this process's holder line, atomically; false if it exists. */
export async function createWithHolder(path: string, dir: string): Promise<boolean> {
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(tmp, holderLine(), { flag: 'wx' });
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Removes the lock at `args.path` if its holder is gone (logging the removal): `removed`.
 * `gone`: the lock disappeared or changed meanwhile (try to take it again at once); `held`: a
 * live holder (or a live remover) has it.
 */
export async function removeIfStale(args: StaleLockArgs, depth = 0): Promise<'removed' | 'gone' | 'held'> {
  const seen = await inspect(args.path);
  if (!seen) return 'gone';
  if (!isStale(seen, args.staleMs)) return 'held';
  await mkdir(args.tokenDir, { recursive: true });
  const token = join(args.tokenDir, `${basename(args.path)}-${seen.id}.takeover`);
  // Bounded: each level stands for a remover killed inside this very function.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createWithHolder(token, args.tokenDir)) break;
    if (depth >= 8 || attempt === 2) return 'held';
    if ((await removeIfStale({ ...args, path: token, what: `takeover of ${args.what}` }, depth + 1)) === 'held') return 'held';
  }
  try {
    const again = await inspect(args.path);
    if (again?.id !== seen.id) return 'gone'; // removed or replaced meanwhile: not ours to touch
    await unlink(args.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    args.log?.warn(
      { lock: args.path, holder: seen.holder ?? null, verdict: seen.verdict, ageMs: Math.round(seen.ageMs) },
      seen.verdict === 'dead' ? `removed ${args.what} lock: its holder is no longer running` : `removed ${args.what} lock: no known holder and older than ${args.staleMs} ms`,
    );
    return 'removed';
  } finally {
    await unlink(token).catch(() => undefined);
  }
}
