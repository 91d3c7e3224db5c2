/**
 * Two first saves of one new document in different formats (issue 8 item 7): the format is
 * decided under the document's lock, so exactly one format lands in Git and every version
 * shows.
 */
import { expect } from 'chai';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { git } from '../../helpers/gitCli.js';

for (const target of databaseTargets()) {
  describe(`concurrent first saves on ${target}`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let store: EmbeddedStore;

    beforeEach(async () => {
      db = await freshDatabase(target);
      store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
    });
    afterEach(async () => {
      await store.close();
      await db.cleanup();
    });

    it('json and markdown at once: one wins, the other is refused, one file in Git', async () => {
      const doc = store.site('acme').doc('prd', 'new');
      const results = await Promise.allSettled([
        doc.save({ content: { title: 'Search' } }),
        doc.save({ content: '# Search\n', format: 'markdown' }),
      ]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok, JSON.stringify(results)).to.have.length(1);
      expect(refused.map((r) => (r.reason as { code?: string }).code)).to.deep.equal(['invalid_input']);
      const files = git(store.repoDir('acme'), 'ls-tree', '-r', '--name-only', 'main').trim().split('\n').filter((f) => f.startsWith('prd/new/'));
      expect(files).to.have.length(1);
      const log = await doc.log();
      expect(log.items).to.have.length(1);
      for (const v of log.items) await doc.show(v.number);
    });
  });
}
