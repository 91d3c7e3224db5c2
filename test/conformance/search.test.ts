/** The search suite embedded on every database target and remote over the gateway. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startServer } from '../../gateway/serve.js';
import { connect } from '../../lib/sdk/remote/index.js';
import { openStore } from '../../lib/sdk/openStore.js';
import { databaseTargets, freshDatabase } from '../helpers/databases.js';
import { searchSuite } from './searchSuite.js';

for (const target of databaseTargets()) {
  searchSuite(`embedded on ${target}`, async () => {
    const db = await freshDatabase(target);
    const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
    return {
      store,
      reindex: (site) => store.reindex({ site }),
      cleanup: async () => {
        await store.close();
        await db.cleanup();
      },
    };
  });
}

searchSuite('remote over the gateway (PGlite)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'verso-search-remote-'));
  const embedded = await openStore({ dataDir });
  const admin = await embedded.createKey({ role: 'admin' });
  const server = await startServer({ store: embedded, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
  return {
    store: connect({ baseUrl: server.url, apiKey: admin.key }),
    cleanup: async () => {
      await server.close();
      await embedded.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
