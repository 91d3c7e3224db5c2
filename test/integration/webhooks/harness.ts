/**
 * A gateway with its webhook dispatcher over a fresh database of a target, with the retry
 * timings shortened through the environment (read when the dispatcher starts).
 */
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../../gateway/serve.js';
import { connect } from '../../../lib/sdk/remote/connect.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore, Store } from '../../../lib/types.js';
import { freshDatabase, type DatabaseTarget, type TestDatabase } from '../../helpers/databases.js';

export const FAST_WEBHOOKS = {
  VERSO_ALLOW_PRIVATE_REMOTES: '1',
  VERSO_WEBHOOK_RETRY_MS: '20',
  VERSO_WEBHOOK_POLL_MS: '25',
  VERSO_WEBHOOK_TIMEOUT_MS: '1500',
  VERSO_WEBHOOK_DISABLE_AFTER: '2',
};

/** Sets env variables; the returned function restores them. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

export interface WebhookGateway {
  db: TestDatabase;
  store: EmbeddedStore;
  server: RunningServer;
  url: string;
  adminKey: string;
  /** A remote store with an editor key named 'ci-bot'. */
  editor: Store;
  editorKeyId: string;
  admin: Store;
  stop(): Promise<void>;
}

export async function startWebhookGateway(target: DatabaseTarget): Promise<WebhookGateway> {
  const db = await freshDatabase(target);
  const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
  const server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
  const adminKey = (await store.createKey({ role: 'admin', name: 'ops' })).key;
  await store.createSite({ id: 'acme', name: 'Acme', locales: ['en', 'fr'] });
  const editorKey = await store.createKey({ role: 'editor', site: 'acme', name: 'ci-bot' });
  return {
    db, store, server, url: server.url, adminKey,
    editor: connect({ baseUrl: server.url, apiKey: editorKey.key }),
    editorKeyId: editorKey.id,
    admin: connect({ baseUrl: server.url, apiKey: adminKey }),
    async stop() {
      await server.close();
      await store.close();
      await db.cleanup();
    },
  };
}
