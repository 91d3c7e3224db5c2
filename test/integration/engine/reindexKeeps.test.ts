/**
 * Reindex rebuilds derived rows in place (issue 8 items 1 and 13): owned rows (comments,
 * previews) survive, tags are rebuilt from refs/tags, no event is appended twice, version rows
 * keep their ids, and documents keep their updated_at.
 */
import { expect } from 'chai';
import { databaseTargets } from '../../helpers/databases.js';
import { useFreshStore } from '../../helpers/storeFixture.js';
import { git } from '../../helpers/gitCli.js';
import { duplicateEvents, snapshotIndex } from '../../helpers/indexSnapshot.js';

for (const target of databaseTargets()) {
  describe(`reindex keeps owned data on ${target}`, function () {
    this.timeout(120_000);
    const f = useFreshStore(target, { site: { id: 'acme', name: 'Acme', locales: ['en'] } });

    it('keeps comments and previews, rebuilds tags from refs/tags and appends no event twice', async () => {
      const page = f.store!.site('acme').doc('prd', 'search');
      await page.save({ content: { v: 1 } });
      await page.save({ content: { v: 2 } });
      const comment = await page.comment(2, { body: 'Looks right', author: 'Ann' });
      const preview = await page.preview(2);
      await page.tag(2, '1.0.0', { message: 'First release' });
      await f.store!.close();
      const before = await snapshotIndex(f.db);
      expect(before.tags).to.have.length(1);

      f.store = await f.open();
      const report = await f.store!.reindex({ site: 'acme' });
      expect(report.versions).to.equal(2);
      expect((await f.store!.site('acme').doc('prd', 'search').comments(2)).map((c) => c.id)).to.deep.equal([comment.id]);
      expect((await f.store!.resolvePreview(preview.token)).version.number).to.equal(2);
      await f.store!.close();
      f.store = undefined;
      const after = await snapshotIndex(f.db);
      expect(after.comments).to.deep.equal(before.comments);
      expect(after.previews).to.deep.equal(before.previews);
      expect(after.tags).to.deep.equal(before.tags);
      expect(after.versions, 'version rows are updated in place (same ids)').to.deep.equal(before.versions);
      expect(after.events, 'reindex appends no event').to.deep.equal(before.events);
      expect(duplicateEvents(after)).to.deep.equal([]);
      expect(git(f.db.dataDir + '/repos/acme.git', 'tag', '--list').trim()).to.equal('prd/search/en/v1.0.0');
    });

    it('indexes an annotated tag made with git in verso\'s layout, and keeps the tag rows it had', async () => {
      const page = f.store!.site('acme').doc('prd', 'search');
      await page.save({ content: { v: 1 } });
      await page.tag(1, '0.1.0', { message: 'Draft' });
      await f.store!.close();
      const before = await snapshotIndex(f.db);
      // A tag ref without its row (as a crash between the ref and the index leaves one).
      const repo = f.db.dataDir + '/repos/acme.git';
      const oid = git(repo, 'rev-parse', 'refs/tags/prd/search/en/v0.1.0').trim();
      git(repo, 'tag', '-a', '-m', 'Second', 'prd/search/en/v0.2.0', git(repo, 'rev-parse', 'main').trim());
      f.store = await f.open();
      await f.store!.reindex({ site: 'acme' });
      await f.store!.close();
      f.store = undefined;
      const after = await snapshotIndex(f.db);
      expect((after.tags as Array<{ name: string; tag_oid: string }>).map((t) => [t.name, t.tag_oid === oid])).to.deep.equal([['0.1.0', true], ['0.2.0', false]]);
      expect((after.events as Array<{ action: string }>).filter((e) => e.action === 'tag.create')).to.have.length(2);
      expect(after.events.slice(0, before.events.length)).to.deep.equal(before.events);
    });

    it('leaves every document\'s updated time alone', async () => {
      const s = f.store!.site('acme');
      await s.doc('page', 'a').save({ content: { a: 1 } });
      await s.doc('page', 'b').save({ content: { b: 1 } });
      await s.doc('page', 'b').archive();
      await s.doc('page', 'b').save({ content: { b: 2 } });
      await s.doc('page', 'c').save({ content: { c: 1 } });
      await s.doc('page', 'c').archive();
      await f.store!.close();
      const before = await snapshotIndex(f.db);
      f.store = await f.open();
      await f.store!.reindex({ site: 'acme' });
      await f.store!.close();
      f.store = undefined;
      const after = await snapshotIndex(f.db);
      expect(after.documents).to.deep.equal(before.documents);
    });
  });
}
