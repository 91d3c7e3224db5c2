/**
 * A real gateway (startServer) over a real embedded store, announced in its data dir like
 * `verso serve`, and the real git CLI pointed at it over HTTP.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../../gateway/serve.js';
import { announceServer } from '../../../lib/ops/localServer.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { freshDatabase, type DatabaseTarget, type TestDatabase } from '../../helpers/databases.js';
import { gitAsync } from '../../helpers/git.js';

export interface GitGateway {
  db: TestDatabase;
  store: EmbeddedStore;
  url: string;
  server: RunningServer;
  logs: string[];
  keys: { admin: string; editor: string; viewer: string; other: string };
  /** `http://git:<key>@host/git/<site>.git` */
  remote(site: string, key?: string): string;
  /** A scratch directory removed by stop(). */
  work: string;
  stop(): Promise<void>;
}

export async function startGitGateway(target: DatabaseTarget, opts: { announce?: boolean } = {}): Promise<GitGateway> {
  const db = await freshDatabase(target);
  const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
  await store.createSite({ id: 'acme', name: 'Acme', locales: ['en', 'fr'] });
  await store.createSite({ id: 'globex', name: 'Globex', locales: ['en'] });
  const keys = {
    admin: (await store.createKey({ role: 'admin' })).key,
    editor: (await store.createKey({ role: 'editor', site: 'acme' })).key,
    viewer: (await store.createKey({ role: 'viewer', site: 'acme' })).key,
    other: (await store.createKey({ role: 'editor', site: 'globex' })).key,
  };
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) }));
  const server = await startServer({ store, port: 0, logger, rateLimit: false });
  const withdraw = opts.announce === false ? async () => undefined : await announceServer({ dataDir: store.dataDir, url: server.url });
  const work = await mkdtemp(join(tmpdir(), 'verso-git-work-'));
  return {
    db,
    store,
    url: server.url,
    server,
    logs,
    keys,
    work,
    remote: (site, key) => {
      const u = new URL(`${server.url}/git/${site}.git`);
      if (key) {
        u.username = 'git';
        u.password = key;
      }
      return u.toString();
    },
    async stop() {
      await withdraw();
      await server.close();
      await store.close();
      await db.cleanup();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** Runs git and throws with its stderr on failure. */
export async function run(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await gitAsync(cwd, args, { env: { GIT_TERMINAL_PROMPT: '0', ...env } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

export async function tryGit(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return gitAsync(cwd, args, { env: { GIT_TERMINAL_PROMPT: '0', ...env } });
}

export async function put(dir: string, path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), content);
}

export const GRACE = { GIT_AUTHOR_NAME: 'Grace Hopper', GIT_AUTHOR_EMAIL: 'grace@example.com', GIT_COMMITTER_NAME: 'Grace Hopper', GIT_COMMITTER_EMAIL: 'grace@example.com' };
