/**
 * VERSO_ADMIN_KEY registration never stops a start: gateways registering one key at the same
 * instant all succeed, and a key an operator revoked is neither revived nor a reason to fail.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { openStore } from '../../../lib/sdk/openStore.js';
import { databaseTargets, freshDatabase } from '../../helpers/databases.js';

for (const target of databaseTargets()) {
  describe(`VERSO_ADMIN_KEY registration (${target})`, function () {
    it('registers once under concurrency, and stays revoked after a revoke', async () => {
      const db = await freshDatabase(target);
      const warnings: string[] = [];
      const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl, logger: { info: () => undefined, warn: (_d, m) => warnings.push(m) } });
      try {
        const key = randomBytes(24).toString('hex');
        await Promise.all([1, 2, 3, 4].map(() => store.ensureAdminKey(key)));
        const env = (await store.listKeys()).filter((k) => k.name === 'VERSO_ADMIN_KEY');
        expect(env).to.have.length(1);
        expect((await store.authenticate(key))?.role).to.equal('admin');
        await store.revokeKey(env[0]!.id);
        await store.ensureAdminKey(key);
        expect(await store.authenticate(key)).to.equal(undefined);
        expect(warnings.some((w) => w.includes('revoked'))).to.equal(true);
      } finally {
        await store.close();
        await db.cleanup();
      }
    });
  });
}
