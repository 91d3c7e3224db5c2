/**
 * Finding the verso server that owns a data dir, for programs that cannot open its database
 * (DESIGN.md "PGlite is one process"): git hooks and CLI commands run while `verso serve` holds
 * the embedded database, so they ask the server to index instead.
 *
 * - `<dataDir>/server.json` `{ url, pid }` says where the server listens; the server writes it
 *   when it starts listening and removes it when it stops.
 * - `<dataDir>/hook-token` (mode 0600) is a random secret the server accepts on its hook
 *   endpoints (`POST /git/<site>.git/verso/index|sync`): whoever can read the data dir may ask
 *   the server to index what is already in Git, nobody else.
 * - `<dataDir>/cli-key` (mode 0600) is an admin API key the server registers when it starts,
 *   so a `verso` command run on the same data dir talks to the server instead of failing on
 *   the database lock. It grants nothing new: whoever can read the data dir can read the
 *   embedded database files and the repositories anyway. Revoking it is safe: the next start
 *   writes a new one.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { chmod, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorFromJSON, VersoError } from '../errors/index.js';

export const SERVER_FILE = 'server.json';
export const TOKEN_FILE = 'hook-token';
export const HOOK_TOKEN_HEADER = 'x-verso-hook-token';
export const CLI_KEY_FILE = 'cli-key';
export const CLI_KEY_NAME = 'local CLI (data dir cli-key)';

export interface ServerInfo {
  url: string;
  pid: number;
}

/** Reads the hook token of a data dir, creating it (exclusively, 0600) when missing. */
export function ensureHookToken(dataDir: string): string {
  const path = join(dataDir, TOKEN_FILE);
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(32).toString('hex') + '\n');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Another process may be between create and write: wait for the token to appear.
  for (let i = 0; i < 100; i++) {
    const token = readFileSync(path, 'utf8').trim();
    if (token) return token;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  throw new Error(`${path} stays empty; remove it and start again`);
}

export async function readHookToken(dataDir: string): Promise<string | undefined> {
  const token = (await readFile(join(dataDir, TOKEN_FILE), 'utf8').catch(() => '')).trim();
  return token || undefined;
}

/** Constant-time comparison of a presented token with the data dir's. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Announces a listening server in its data dir; the returned function withdraws it (only
 * if the file is still this process's).
 * @example
 *   const withdraw = await announceServer({ dataDir: store.dataDir, url });
 *   // … on shutdown:
 *   await withdraw();
 */
export async function announceServer(a: { dataDir: string; url: string; pid?: number }): Promise<() => Promise<void>> {
  const info: ServerInfo = { url: a.url, pid: a.pid ?? process.pid };
  const path = join(a.dataDir, SERVER_FILE);
  const tmp = `${path}.${info.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(info) + '\n');
  await rename(tmp, path);
  return async () => {
    const now = await readServerInfo(a.dataDir);
    if (now && now.pid === info.pid && now.url === info.url) await unlink(path).catch(() => undefined);
  };
}

export async function readServerInfo(dataDir: string): Promise<ServerInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(join(dataDir, SERVER_FILE), 'utf8')) as Partial<ServerInfo>;
    if (typeof info.url !== 'string' || typeof info.pid !== 'number') return undefined;
    return { url: info.url, pid: info.pid };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * POSTs to a hook endpoint of the server that owns `dataDir`. Resolves undefined when no
 * server runs there (no server.json, a dead pid, a refused connection), so the caller opens
 * the store itself; throws the VersoError the server answered with otherwise.
 */
export async function callLocalServer<T>(a: { dataDir: string; path: string; body?: unknown; timeoutMs?: number; fetchImpl?: typeof fetch }): Promise<T | undefined> {
  const info = await readServerInfo(a.dataDir);
  if (!info || !alive(info.pid)) return undefined;
  const token = await readHookToken(a.dataDir);
  if (!token) return undefined;
  const doFetch = a.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(info.url.replace(/\/+$/, '') + a.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [HOOK_TOKEN_HEADER]: token },
      body: JSON.stringify(a.body ?? {}),
      signal: AbortSignal.timeout(a.timeoutMs ?? 120_000),
    });
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return undefined;
    throw err;
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new VersoError('internal', `the verso server at ${info.url} answered ${res.status}: ${text.slice(0, 200)}`);
  }
  if (!res.ok) throw errorFromJSON((body as { error?: object }).error ?? {});
  return body as T;
}

/** The running server that owns `dataDir`, with the key its CLI uses, if there is one. */
export interface LocalServer extends ServerInfo {
  apiKey: string;
}

/**
 * The server that announced itself in `dataDir` and still runs, with the local CLI key; undefined
 * when there is none (no server.json, a dead pid, no key file), so the caller opens the store.
 */
export async function findLocalServer(dataDir: string): Promise<LocalServer | undefined> {
  const info = await readServerInfo(dataDir);
  if (!info || !alive(info.pid)) return undefined;
  const apiKey = (await readFile(join(dataDir, CLI_KEY_FILE), 'utf8').catch(() => '')).trim();
  return apiKey ? { ...info, apiKey } : undefined;
}

/**
 * Makes sure `<dataDir>/cli-key` holds an admin key that `register` accepted: the one already
 * there, or (first start, or it was revoked) a new one written atomically with mode 0600.
 * @example
 *   await provisionCliKey({ dataDir, register: (key) => store.ensureAdminKey(key, { name: CLI_KEY_NAME }), isActive: async (key) => (await store.authenticate(key)) !== undefined });
 */
export async function provisionCliKey(a: { dataDir: string; register: (key: string) => Promise<void>; isActive: (key: string) => Promise<boolean> }): Promise<void> {
  const path = join(a.dataDir, CLI_KEY_FILE);
  const existing = (await readFile(path, 'utf8').catch(() => '')).trim();
  if (existing) {
    // A revoked key stays revoked (registering it again does nothing): replace it below.
    const kept = await a.register(existing).then(
      () => a.isActive(existing),
      () => false,
    );
    if (kept) return;
  }
  const key = 'verso_cli_' + randomBytes(32).toString('base64url');
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, key + '\n', { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
  await a.register(key);
}
