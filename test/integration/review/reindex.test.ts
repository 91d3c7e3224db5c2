/**
 * reindex and the review loop (DESIGN "The two stores": rebuilding derived rows never deletes an
 * owned row). Comments are owned by the index and must survive; labels are derived from the
 * `labels` branch and must come back exactly, history included — also when their index rows
 * were lost, since Git is their truth.
 */
import { expect } from 'chai';
import { databaseTargets } from '../../helpers/databases.js';
import { useFreshStore } from '../../helpers/storeFixture.js';

for (const target of databaseTargets()) {
  describe(`reindex keeps the review loop on ${target}`, function () {
    this.timeout(120_000);
    const f = useFreshStore(target, { per: 'suite', site: { id: 'acme', name: 'Acme' } });

    it('keeps comments, resolved ones and replies too, across reindex', async function () {
      const d = f.store!.site('acme').doc('page', 'reviewed');
      await d.save({ content: { title: 'One' } });
      await d.save({ content: { title: 'Two' } });
      const c = await d.comment(1, { body: 'Too long', author: 'Rev', anchor: { startLine: 2, endLine: 2 } });
      const reply = await d.comment(1, { body: 'Agreed', author: 'Ann', parentId: c.id });
      await d.resolveComment(c.id, { author: 'Ann' });
      const before = await d.comments(2, { all: true });
      expect(before.map((x) => x.id)).to.deep.equal([c.id, reply.id]);

      await f.store!.reindex({ site: 'acme' });

      expect(await d.comments(2, { all: true })).to.deep.equal(before);
    });

    it('rebuilds labels and their history from the labels branch', async function () {
      const d = f.store!.site('acme').doc('prompt', 'support-bot');
      await d.save({ content: 'one\n', format: 'text' });
      await d.save({ content: 'two\n' });
      await d.label('production', 1, { author: 'Ann', message: 'first' });
      await d.label('production', 2, { author: { name: 'Bob', email: 'bob@example.com' }, message: 'second' });
      await d.label('staging', 2, { author: 'Bob' });
      await d.removeLabel('staging', { author: 'Ann' });
      const before = { labels: await d.labels(), production: await d.labelHistory('production'), staging: await d.labelHistory('staging') };
      expect(before.production.map((m) => m.by.name)).to.deep.equal(['Bob', 'Ann']);

      await f.store!.reindex({ site: 'acme' });

      expect({ labels: await d.labels(), production: await d.labelHistory('production'), staging: await d.labelHistory('staging') }).to.deep.equal(before);
      expect((await d.show('label:production')).number).to.equal(2);
    });
  });
}
