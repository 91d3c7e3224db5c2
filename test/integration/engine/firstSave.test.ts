/**
 * Two first saves of one new document in different formats (issue 8 item 7): the format is
 * decided under the document's lock, so exactly one format lands in Git and every version
 * shows.
 */
import { expect } from 'chai';
import { databaseTargets } from '../../helpers/databases.js';
import { git } from '../../helpers/gitCli.js';
import { useFreshStore } from '../../helpers/storeFixture.js';

for (const target of databaseTargets()) {
  describe(`concurrent first saves on ${target}`, function () {
    this.timeout(120_000);
    const f = useFreshStore(target);

    it('json and markdown at once: one wins, the other is refused, one file in Git', async () => {
      const doc = f.store!.site('acme').doc('prd', 'new');
      const results = await Promise.allSettled([
        doc.save({ content: { title: 'Search' } }),
        doc.save({ content: '# Search\n', format: 'markdown' }),
      ]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok, JSON.stringify(results)).to.have.length(1);
      expect(refused.map((r) => (r.reason as { code?: string }).code)).to.deep.equal(['invalid_input']);
      const files = git(f.store!.repoDir('acme'), 'ls-tree', '-r', '--name-only', 'main').trim().split('\n').filter((f) => f.startsWith('prd/new/'));
      expect(files).to.have.length(1);
      const log = await doc.log();
      expect(log.items).to.have.length(1);
      for (const v of log.items) await doc.show(v.number);
    });
  });
}
