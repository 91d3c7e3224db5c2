/**
 * The conformance suite on the remote store: `connect()` against the gateway on an ephemeral
 * port, over an embedded store on each database target (PGlite in a temporary data dir, and a
 * fresh PostgreSQL database). Every call crosses HTTP, and errors must come back as the same
 * classes.
 */
import { pino } from 'pino';
import { startServer } from '../../gateway/serve.js';
import { connect } from '../../lib/sdk/remote/index.js';
import { openStore } from '../../lib/sdk/openStore.js';
import { databaseTargets, freshDatabase } from '../helpers/databases.js';
import { conformanceSuite } from './suite.js';

const MAX_BYTES = 256 * 1024;

for (const target of databaseTargets()) {
  conformanceSuite(`remote over the gateway (${target})`, async () => {
    const db = await freshDatabase(target);
    const embedded = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl, maxBytes: MAX_BYTES });
    const admin = await embedded.createKey({ role: 'admin', name: 'conformance' });
    const server = await startServer({ store: embedded, port: 0, logger: pino({ level: 'silent' }), rateLimit: false, trustProxy: 'loopback' });
    const store = connect({ baseUrl: server.url, apiKey: admin.key });
    return {
      store,
      maxBytes: MAX_BYTES,
      repoDir: (site) => embedded.repoDir(site),
      reindex: async (site) => {
        await embedded.reindex({ site });
      },
      cleanup: async () => {
        await store.close();
        await server.close();
        await embedded.close();
        await db.cleanup();
      },
    };
  });
}
