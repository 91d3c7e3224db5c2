/**
 * A real gateway over a real embedded store (PGlite in a temp dir) on an ephemeral port, and a
 * small HTTP client for tests that need to see statuses, headers and raw bodies.
 */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { startServer, type RunningServer } from '../../../gateway/serve.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type DatabaseTarget } from '../../helpers/databases.js';

export interface CallResult {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: any;
  text: string;
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  /** Sent as is (for malformed JSON); wins over `body`. */
  raw?: string;
  headers?: Record<string, string>;
}

export interface Gateway {
  store: EmbeddedStore;
  url: string;
  adminKey: string;
  logs: string[];
  server: RunningServer;
  call(method: string, path: string, opts?: CallOptions): Promise<CallResult>;
  /** Another server over the same store (opening a store takes seconds; a server takes none). */
  serve(opts?: Omit<StartOptions, 'maxBytes'>): Promise<ExtraServer>;
  stop(): Promise<void>;
}

export interface ExtraServer {
  url: string;
  logs: string[];
  server: RunningServer;
  call(method: string, path: string, opts?: CallOptions): Promise<CallResult>;
}

function captureLogger(): { logs: string[]; logger: Logger } {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  return { logs, logger: pino({ level: 'info' }, stream) };
}

export async function call(url: string, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body: string | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['content-type'] ??= 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export interface StartOptions {
  rateLimit?: { windowMs: number; max: number } | false;
  bodyLimit?: string;
  /** Express 'trust proxy' (see createApp). */
  trustProxy?: boolean | number | string;
  /** Wrap the store (to inject failures or delays). */
  wrap?: (store: EmbeddedStore) => EmbeddedStore;
  maxBytes?: number;
  /** The index database (a fresh one); default the first of databaseTargets(). */
  target?: DatabaseTarget;
}

export async function startGateway(opts: StartOptions = {}): Promise<Gateway> {
  const db = await freshDatabase(opts.target ?? databaseTargets()[0]!);
  const { dataDir } = db;
  const store = await openStore({ dataDir, databaseUrl: db.databaseUrl, ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}) });
  const admin = await store.createKey({ role: 'admin', name: 'test admin' });
  const extras: RunningServer[] = [];
  const serve = async (o: Omit<StartOptions, 'maxBytes' | 'target'> = {}): Promise<ExtraServer> => {
    const { logs, logger } = captureLogger();
    const server = await startServer({
      store: o.wrap ? o.wrap(store) : store,
      port: 0,
      logger,
      rateLimit: o.rateLimit ?? false,
      ...(o.bodyLimit ? { bodyLimit: o.bodyLimit } : {}),
      ...(o.trustProxy !== undefined ? { trustProxy: o.trustProxy } : {}),
    });
    extras.push(server);
    return { url: server.url, logs, server, call: (method, path, c) => call(server.url, method, path, c) };
  };
  const main = await serve(opts);
  const { server, logs } = main;
  let stopped = false;
  return {
    store,
    url: server.url,
    adminKey: admin.key,
    logs,
    server,
    call: main.call,
    serve,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const s of extras) await s.close();
      await store.close();
      await db.cleanup();
    },
  };
}
