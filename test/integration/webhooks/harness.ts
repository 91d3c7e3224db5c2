/**
 * A gateway with its webhook dispatcher over a fresh database of a target, with the retry
 * timings shortened through the environment (read when the dispatcher starts).
 */
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../../gateway/serve.js';
import { connect } from '../../../lib/sdk/remote/connect.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { Delivery, EmbeddedStore, Store } from '../../../lib/types.js';
import { freshDatabase, type DatabaseTarget, type TestDatabase } from '../../helpers/databases.js';
import { eventually, startReceiver, type Receiver } from '../../helpers/receiver.js';

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

export interface WebhookSuite {
  /** Set by the suite's hook before the first test. */
  gw: WebhookGateway;
  /** A fresh receiver for each test. */
  receiver: Receiver;
  /** Waits until a webhook has `count` deliveries, none of them pending. */
  settled(webhookId: string, count: number, timeoutMs?: number): Promise<Delivery[]>;
}

/**
 * The hooks the webhook suites share: one gateway with fast retries for the suite (the env is
 * restored after), a new receiver for each test, and every webhook of site acme deleted after it.
 */
export function useWebhookSuite(target: DatabaseTarget): WebhookSuite {
  let restoreEnv: (() => void) | undefined;
  const suite = {
    settled: (webhookId: string, count: number, timeoutMs = 30_000) =>
      eventually(async () => {
        const { items } = await suite.gw.admin.site('acme').deliveries(webhookId);
        return items.length >= count && items.every((d) => d.status !== 'pending') ? items : undefined;
      }, timeoutMs, `${count} deliveries settled`),
  } as WebhookSuite;
  before(async () => {
    restoreEnv = setEnv(FAST_WEBHOOKS);
    suite.gw = await startWebhookGateway(target);
  });
  after(async () => {
    await suite.gw?.stop();
    restoreEnv?.();
  });
  beforeEach(async () => {
    suite.receiver = await startReceiver();
  });
  afterEach(async () => {
    for (const w of await suite.gw.admin.site('acme').webhooks()) await suite.gw.admin.site('acme').deleteWebhook(w.id);
    await suite.receiver.close();
  });
  return suite;
}
