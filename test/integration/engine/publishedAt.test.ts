/**
 * When a version was published is derived data (DESIGN.md "The two stores"): the time of the
 * newest commit on `published` that published it. A wrong or lost `published_at` is drift that
 * fsck reports and reindex rebuilds from Git alone, to the value the live index had.
 */
import { expect } from 'chai';
import { openDatabase } from '../../../lib/db/connection.js';
import { databaseTargets } from '../../helpers/databases.js';
import { useFreshStore } from '../../helpers/storeFixture.js';
import { snapshotIndex } from '../../helpers/indexSnapshot.js';

for (const target of databaseTargets()) {
  describe(`publishedAt is rebuilt from the published branch on ${target}`, function () {
    this.timeout(120_000);
    const f = useFreshStore(target, { per: 'suite', site: { id: 'acme', name: 'Acme', locales: ['en'] } });

    it('fsck reports a lost or wrong publication time, and reindex restores the one Git records', async () => {
      const page = f.store!.site('acme').doc('page', 'home');
      for (const v of [1, 2, 3]) await page.save({ content: { v } });
      await page.publish(1);
      await page.publish(2);
      await page.rollback(1, { publish: true });
      const history = (await page.log()).items.map((v) => ({ number: v.number, publishedAt: v.publishedAt }));
      expect(history.map((v) => v.publishedAt === null)).to.deep.equal([false, true, false, false]);
      await f.store!.close();
      f.store = undefined;
      const before = await snapshotIndex(f.db);

      // Lose one time, falsify another, invent a third: what an old build or a bad restore leaves.
      const d = await openDatabase({ dataDir: f.db.dataDir, databaseUrl: f.db.databaseUrl });
      try {
        await d.knex('content_versions').where({ number: 1 }).update({ published_at: null });
        await d.knex('content_versions').where({ number: 2 }).update({ published_at: new Date('2020-01-01T00:00:00Z') });
        await d.knex('content_versions').where({ number: 3 }).update({ published_at: new Date('2020-01-02T00:00:00Z') });
      } finally {
        await d.close();
      }

      // As `verso fsck` does: no start-up repair, so the drift is reported as it is.
      f.store = await f.open({ skipReconcile: true });
      const fsck = await f.store!.reconcile({ repair: false, full: true });
      expect(fsck.issues.filter((i) => i.kind === 'published_at_drift').length).to.equal(3);
      await f.store!.reindex({ site: 'acme' });
      const reopened = f.store!.site('acme').doc('page', 'home');
      expect((await reopened.log()).items.map((v) => ({ number: v.number, publishedAt: v.publishedAt }))).to.deep.equal(history);
      expect((await f.store!.reconcile({ repair: false, full: true })).issues.filter((i) => i.kind !== 'stale_lock')).to.deep.equal([]);
      await f.store!.close();
      f.store = undefined;
      expect((await snapshotIndex(f.db)).versions.map((v) => (v as { published_at: unknown }).published_at)).to.deep.equal(before.versions.map((v) => (v as { published_at: unknown }).published_at));
    });
  });
}
