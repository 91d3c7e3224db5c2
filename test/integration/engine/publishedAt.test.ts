/**
 * When a version was published is derived data (DESIGN.md "The two stores"): the time of the
 * newest commit on `published` that published it. A wrong or lost `published_at` is drift that
 * fsck reports and reindex rebuilds from Git alone, to the value the live index had.
 */
import { expect } from 'chai';
import { openDatabase } from '../../../lib/db/connection.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { snapshotIndex } from '../../helpers/indexSnapshot.js';

for (const target of databaseTargets()) {
  describe(`publishedAt is rebuilt from the published branch on ${target}`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let store: EmbeddedStore | undefined;
    const open = (o: { skipReconcile?: boolean } = {}) => openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl, ...o });

    before(async () => {
      db = await freshDatabase(target);
      store = await open();
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
    });
    after(async () => {
      await store?.close();
      await db.cleanup();
    });

    it('fsck reports a lost or wrong publication time, and reindex restores the one Git records', async () => {
      const page = store!.site('acme').doc('page', 'home');
      for (const v of [1, 2, 3]) await page.save({ content: { v } });
      await page.publish(1);
      await page.publish(2);
      await page.rollback(1, { publish: true });
      const history = (await page.log()).items.map((v) => ({ number: v.number, publishedAt: v.publishedAt }));
      expect(history.map((v) => v.publishedAt === null)).to.deep.equal([false, true, false, false]);
      await store!.close();
      store = undefined;
      const before = await snapshotIndex(db);

      // Lose one time, falsify another, invent a third: what an old build or a bad restore leaves.
      const d = await openDatabase({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      try {
        await d.knex('content_versions').where({ number: 1 }).update({ published_at: null });
        await d.knex('content_versions').where({ number: 2 }).update({ published_at: new Date('2020-01-01T00:00:00Z') });
        await d.knex('content_versions').where({ number: 3 }).update({ published_at: new Date('2020-01-02T00:00:00Z') });
      } finally {
        await d.close();
      }

      // As `verso fsck` does: no start-up repair, so the drift is reported as it is.
      store = await open({ skipReconcile: true });
      const fsck = await store.reconcile({ repair: false, full: true });
      expect(fsck.issues.filter((i) => i.kind === 'published_at_drift').length).to.equal(3);
      await store.reindex({ site: 'acme' });
      const reopened = store.site('acme').doc('page', 'home');
      expect((await reopened.log()).items.map((v) => ({ number: v.number, publishedAt: v.publishedAt }))).to.deep.equal(history);
      expect((await store.reconcile({ repair: false, full: true })).issues.filter((i) => i.kind !== 'stale_lock')).to.deep.equal([]);
      await store.close();
      store = undefined;
      expect((await snapshotIndex(db)).versions.map((v) => (v as { published_at: unknown }).published_at)).to.deep.equal(before.versions.map((v) => (v as { published_at: unknown }).published_at));
    });
  });
}
