/**
 * The whole stack on one database target: an embedded store, the gateway over it on an
 * ephemeral port, and the remote client connected to that gateway with an admin key. Tests
 * that compare embedded and remote (or SDK and raw HTTP) behaviour use one stack per target.
 */
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../gateway/serve.js';
import { connect } from '../../lib/sdk/remote/index.js';
import { openStore } from '../../lib/sdk/openStore.js';
import type { EmbeddedStore, Store } from '../../lib/types.js';
import { freshDatabase, type DatabaseTarget, type TestDatabase } from './databases.js';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: any;
}

export interface Stack {
  target: DatabaseTarget;
  db: TestDatabase;
  embedded: EmbeddedStore;
  remote: Store;
  server: RunningServer;
  url: string;
  adminKey: string;
  /** A raw HTTP request with the admin key; `raw` is sent as the body text as is. */
  http(method: string, path: string, opts?: { body?: unknown; raw?: string }): Promise<HttpAnswer>;
  /** Closes the store and the gateway and opens both again on the same data dir and database. */
  reopen(): Promise<Stack>;
  cleanup(): Promise<void>;
}

export async function openStack(target: DatabaseTarget, opts: { maxBytes?: number } = {}): Promise<Stack> {
  const db = await freshDatabase(target);
  return start(target, db, opts);
}

async function start(target: DatabaseTarget, db: TestDatabase, opts: { maxBytes?: number }, adminKey?: string): Promise<Stack> {
  const embedded = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl, ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}) });
  const key = adminKey ?? (await embedded.createKey({ role: 'admin', name: 'stack' })).key;
  const server = await startServer({ store: embedded, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
  const remote = connect({ baseUrl: server.url, apiKey: key });
  const http: Stack['http'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    let body: string | undefined;
    if (o.raw !== undefined || o.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = o.raw ?? JSON.stringify(o.body);
    }
    const res = await fetch(server.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  const stop = async () => {
    await server.close();
    await embedded.close();
  };
  return {
    target,
    db,
    embedded,
    remote,
    server,
    url: server.url,
    adminKey: key,
    http,
    reopen: async () => {
      await stop();
      return start(target, db, opts, key);
    },
    cleanup: async () => {
      await stop();
      await db.cleanup();
    },
  };
}
