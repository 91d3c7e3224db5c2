/**
 * A per-field merge writes a blob neither side had; its versions must still be derivable from
 * Git alone (DESIGN.md: the index equals what reindex builds), and the repository stays clean
 * for `git fsck --strict`.
 */
import { expect } from 'chai';
import { databaseTargets } from '../../helpers/databases.js';
import { useFreshStore } from '../../helpers/storeFixture.js';
import { git, gitFsckStrict } from '../../helpers/gitCli.js';
import { snapshotSite } from '../../helpers/snapshot.js';

for (const target of databaseTargets()) {
  describe(`three-way merge and reindex on ${target}`, function () {
    this.timeout(120_000);
    const f = useFreshStore(target, { per: 'suite', site: { id: 'acme', name: 'Acme' } });

    it('indexes merged versions exactly as reindex rebuilds them from the merge commit', async () => {
      const s = f.store!.site('acme');
      const page = s.doc('page', 'home');
      const prd = s.doc('prd', 'search');
      await page.save({ content: { a: 1, b: 1, c: 1 } });
      await prd.save({ content: '# Search\n\n## Goals\nFind.\n\n## Scope\nAll.\n', format: 'markdown' });
      await s.createBranch('work');
      await page.save({ content: { a: 2, b: 1, c: 3 }, branch: 'work' });
      await prd.save({ content: '# Search\n\n## Goals\nFind fast.\n\n## Scope\nAll.\n', branch: 'work' });
      await page.save({ content: { a: 1, b: 2, c: 4 } });
      await prd.save({ content: '# Search\n\n## Goals\nFind.\n\n## Scope\nDocs only.\n' });
      const r = await s.merge('work', { resolutions: [{ doc: 'page/home/en', path: '/c', value: 5 }], author: { name: 'Ada', email: 'ada@example.com' } });
      expect(r.versions.map((v) => `${v.type}/${v.key}@${v.number}`)).to.deep.equal(['page/home@4', 'prd/search@4']);
      // Git holds the merged bytes, a blob neither parent had.
      expect(JSON.parse(git(f.store!.repoDir('acme'), 'show', `${r.commit}:page/home/en.json`))).to.deep.equal({ a: 2, b: 2, c: 5 });
      expect(git(f.store!.repoDir('acme'), 'show', `${r.commit}:prd/search/en.md`)).to.equal('# Search\n\n## Goals\nFind fast.\n\n## Scope\nDocs only.\n');

      const before = await snapshotSite(f.store!, 'acme');
      await f.store!.reindex({ site: 'acme' });
      expect(await snapshotSite(f.store!, 'acme')).to.deep.equal(before);
      expect((await f.store!.reconcile({ repair: false })).issues).to.deep.equal([]);
      gitFsckStrict(f.store!.repoDir('acme'));
    });
  });
}
