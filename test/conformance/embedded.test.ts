/** The conformance suite on the embedded store, once per database target. */
import { openStore } from '../../lib/sdk/openStore.js';
import { databaseTargets, freshDatabase } from '../helpers/databases.js';
import { conformanceSuite } from './suite.js';

for (const target of databaseTargets()) {
  conformanceSuite(`embedded on ${target}`, async () => {
    const db = await freshDatabase(target);
    const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl, maxBytes: 256 * 1024 });
    return {
      store,
      maxBytes: 256 * 1024,
      repoDir: (site) => store.repoDir(site),
      reindex: async (site) => {
        await store.reindex({ site });
      },
      cleanup: async () => {
        await store.close();
        await db.cleanup();
      },
    };
  });
}
