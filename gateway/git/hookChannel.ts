/**
 * The local channel through which the pre-receive hook of a push served by this gateway asks
 * the gateway to check the push (hooks/preReceiveClient.mjs). Starting the full hook program
 * (Node, tsx, verso's modules) took ~0.4 s of every push on this machine, inside the window in
 * which a save on the branch makes the push fail; the gateway process is already warm.
 *
 * It is a unix socket in a fresh directory only this process's user can enter (0700), and
 * each request must carry a secret made for this process. Both reach the hook only through the
 * environment the gateway gives `git http-backend`: nothing from the network can reach the
 * socket, and a request without the secret is refused. The check is the hook's own
 * (hooks/preReceiveCheck.ts), run on a site repository of this store only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, sep } from 'node:path';
import { checkPreReceive, type PreReceiveOutcome } from '../../hooks/preReceiveCheck.js';
import { tokenMatches } from '../../lib/ops/localServer.js';
import { parseSiteId } from '../../lib/ids.js';

export const SECRET_HEADER = 'x-verso-hook-secret';
const BODY_LIMIT = 1 << 20;
const QUARANTINE = new Set(['GIT_QUARANTINE_PATH', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES']);

export interface HookChannel {
  /** What the hook needs in its environment: VERSO_HOOK_CHANNEL, VERSO_HOOK_SECRET. */
  env: Record<string, string>;
  close(): void;
}

export interface HookChannelArgs {
  /** The repository of a site, or throws (the store's repoDir). */
  repoDir: (site: string) => string;
  onError?: (err: unknown) => void;
}

// Channels still open when the process exits leave no directory behind.
const open = new Set<HookChannel>();
let exitHooked = false;

/**
 * Listens on a new private socket; `close()` stops and removes it. The server does not keep
 * the process alive.
 * @example
 *   const channel = await openHookChannel({ repoDir: (s) => store.repoDir(s) });
 *   spawn('git', ['http-backend'], { env: { ...env, ...channel.env } });
 */
export async function openHookChannel(a: HookChannelArgs): Promise<HookChannel> {
  const dir = mkdtempSync(join(tmpdir(), 'verso-hook-'));
  const socket = join(dir, 'gateway.sock');
  const secret = randomBytes(32).toString('hex');
  const server: Server = createServer((req, res) => {
    handle(req, res, secret, a).catch((err: unknown) => {
      a.onError?.(err);
      answer(res, 500, { error: 'the gateway could not check the push' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  server.unref();
  const channel: HookChannel = {
    env: { VERSO_HOOK_CHANNEL: socket, VERSO_HOOK_SECRET: secret },
    close: () => {
      open.delete(channel);
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  open.add(channel);
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', () => {
      for (const c of open) c.close();
    });
  }
  return channel;
}

async function handle(req: IncomingMessage, res: ServerResponse, secret: string, a: HookChannelArgs): Promise<void> {
  const presented = req.headers[SECRET_HEADER];
  if (!tokenMatches(typeof presented === 'string' ? presented : undefined, secret)) return answer(res, 401, { error: 'the hook secret is missing or wrong' });
  if (req.method !== 'POST' || req.url !== '/pre-receive') return answer(res, 404, { error: 'no such hook call' });
  const body = await readBody(req);
  if (!body) return answer(res, 400, { error: 'the hook request is not a JSON object' });
  const gitDir = siteRepository(body.gitDir, a.repoDir);
  if (!gitDir) return answer(res, 400, { error: 'the hook runs in no site repository of this gateway' });
  const gitEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(body.env && typeof body.env === 'object' ? body.env : {})) {
    if (QUARANTINE.has(k) && typeof v === 'string' && v.split(':').every((p) => inside(p, gitDir))) gitEnv[k] = v;
  }
  const outcome: PreReceiveOutcome = await checkPreReceive({
    input: typeof body.input === 'string' ? body.input : '',
    gitDir,
    ...(Array.isArray(body.locales) ? { locales: body.locales.map(String) } : {}),
    ...(typeof body.maxBytes === 'number' ? { maxBytes: body.maxBytes } : {}),
    env: 'clean',
    gitEnv,
  });
  answer(res, 200, outcome);
}

/** The real path of `dir` when it is the repository of a site of this store. */
function siteRepository(dir: unknown, repoDir: (site: string) => string): string | undefined {
  if (typeof dir !== 'string' || !isAbsolute(dir) || !dir.endsWith('.git')) return undefined;
  try {
    const real = realpathSync(dir);
    const expected = realpathSync(repoDir(parseSiteId(basename(dir).slice(0, -'.git'.length))));
    return real === expected ? real : undefined;
  } catch {
    return undefined;
  }
}

/** The quarantine git names is in the repository's own objects directory. */
function inside(path: string, gitDir: string): boolean {
  if (!isAbsolute(path)) return false;
  try {
    return realpathSync(path).startsWith(gitDir + sep);
  } catch {
    return false;
  }
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > BODY_LIMIT) return undefined;
    chunks.push(c as Buffer);
  }
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
