/**
 * The conformance suite on the remote store: `connect()` against the gateway on an ephemeral
 * port, over an embedded store on PGlite in a temporary data dir. Every call crosses HTTP, and
 * errors must come back as the same classes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startServer } from '../../gateway/serve.js';
import { connect } from '../../lib/sdk/remote/index.js';
import { openStore } from '../../lib/sdk/openStore.js';
import { conformanceSuite } from './suite.js';

const MAX_BYTES = 256 * 1024;

conformanceSuite('remote over the gateway (PGlite)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'verso-remote-'));
  const embedded = await openStore({ dataDir, maxBytes: MAX_BYTES });
  const admin = await embedded.createKey({ role: 'admin', name: 'conformance' });
  const server = await startServer({ store: embedded, port: 0, logger: pino({ level: 'silent' }), rateLimit: false, trustProxy: 'loopback' });
  const store = connect({ baseUrl: server.url, apiKey: admin.key });
  return {
    store,
    maxBytes: MAX_BYTES,
    repoDir: (site) => embedded.repoDir(site),
    cleanup: async () => {
      await store.close();
      await server.close();
      await embedded.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
