/**
 * Resources (issue 8 item 11): store.close() waits for the saves in flight instead of closing
 * the database under them; per-site repository handles are bounded (an LRU) and share one
 * content-addressed tree and commit cache.
 */
import { expect } from 'chai';
import { openStore } from '../../../lib/sdk/openStore.js';
import { createRepoCache } from '../../../lib/sdk/repoCache.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { gitFsckStrict } from '../../helpers/gitCli.js';

for (const target of databaseTargets()) {
  describe(`store resources on ${target}`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    beforeEach(async () => {
      db = await freshDatabase(target);
    });
    afterEach(() => db.cleanup());

    it('close() waits for the saves in flight: each one completes and is indexed', async () => {
      const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
      const saves = Array.from({ length: 8 }, (_, i) => store.site('acme').doc('post', `p${i}`).save({ content: { i } }));
      const closing = store.close();
      const settled = await Promise.allSettled(saves);
      await closing;
      expect(settled.map((s) => (s.status === 'fulfilled' ? s.value.number : String(s.reason)))).to.deep.equal([1, 1, 1, 1, 1, 1, 1, 1]);

      const again = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl, skipReconcile: true });
      try {
        const report = await again.reconcile({ repair: false, full: true });
        expect(report.issues, 'nothing left for recovery').to.deep.equal([]);
        for (let i = 0; i < 8; i++) expect((await again.site('acme').doc('post', `p${i}`).log()).items).to.have.length(1);
        gitFsckStrict(again.repoDir('acme'));
      } finally {
        await again.close();
      }
    });

    it('keeps at most the bound of repository handles; a dropped one is reopened and still works', async () => {
      const cache = createRepoCache({ dataDir: db.dataDir, max: 2 });
      const a = cache.repo('a');
      await a.init();
      const blob = await a.writeBlob(new TextEncoder().encode('one\n'));
      cache.repo('b');
      cache.repo('c');
      expect(cache.size).to.equal(2);
      const a2 = cache.repo('a');
      expect(a2).to.not.equal(a);
      expect(cache.size).to.equal(2);
      expect(new TextDecoder().decode(await a2.readBlob(blob))).to.equal('one\n');
      // The dropped handle finishes what it was doing.
      expect(new TextDecoder().decode(await a.readBlob(blob))).to.equal('one\n');
    });
  });
}
