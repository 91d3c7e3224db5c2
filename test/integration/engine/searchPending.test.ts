/**
 * Search vectors are built after the save (migration 20261202000002_search_pending,
 * lib/search/indexer.ts): a save writes its search row with its version, vector pending, and
 * the store's indexer builds it once the save has committed. A search must still find every
 * version committed before it began, even one whose writer died before building its vector.
 */
import { expect } from 'chai';
import { openDatabase } from '../../../lib/db/connection.js';
import { runScript } from '../../helpers/child.js';
import { databaseTargets, type TestDatabase } from '../../helpers/databases.js';
import { useFreshStore } from '../../helpers/storeFixture.js';

const OPERATOR = 'test/helpers/scripts/operator.ts';

async function searchRows(db: TestDatabase): Promise<Array<{ version_number: number; built: boolean }>> {
  const d = await openDatabase({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
  try {
    const { rows } = (await d.knex.raw(`SELECT version_number, vector IS NOT NULL AS built FROM version_search ORDER BY version_number`)) as {
      rows: Array<{ version_number: number; built: boolean }>;
    };
    return rows;
  } finally {
    await d.close();
  }
}

for (const target of databaseTargets()) {
  describe(`search vectors built after the save on ${target}`, function () {
    this.timeout(60_000);
    const f = useFreshStore(target);

    it('writes the search row with its version; the vector follows in the background, and close waits for it', async () => {
      const doc = f.store!.site('acme').doc('post', 'm');
      // Concurrent saves: the lane (PostgreSQL) and the two-step save (PGlite) both queue their rows.
      await Promise.all(Array.from({ length: 6 }, (_, i) => doc.save({ content: { title: `Page ${i}`, body: 'pangolin' } })));
      await f.store!.close();
      f.store = undefined;
      expect(await searchRows(f.db)).to.deep.equal([1, 2, 3, 4, 5, 6].map((n) => ({ version_number: n, built: true })));
    });

    it('finds a version whose writer died before building its vector, and builds it', async () => {
      await f.store!.close();
      f.store = undefined;
      // The save is killed right after its transaction committed, before the indexer's turn.
      const child = await runScript(OPERATOR, [f.db.dataDir, f.db.databaseUrl ?? '-', 'acme', 'save', 'quokka'], { VERSO_TEST_CRASH_AT: 'after-index' });
      expect(child.signal, child.stderr).to.equal('SIGKILL');
      expect(await searchRows(f.db)).to.deep.equal([{ version_number: 1, built: false }]);

      f.store = await f.open();
      const hits = await f.store.site('acme').search('quokka');
      expect(hits.items.map((h) => [h.doc.key, h.versionNumber])).to.deep.equal([['m', 1]]);
      await f.store.close();
      f.store = undefined;
      expect(await searchRows(f.db)).to.deep.equal([{ version_number: 1, built: true }]);
    });

    it('rebuilds the vectors of the versions reindex adds', async () => {
      const doc = f.store!.site('acme').doc('post', 'm');
      await doc.save({ content: { body: 'axolotl' } });
      await f.store!.close();
      // The index loses its versions; Git keeps them, and reindex brings them back, searchable.
      const d = await openDatabase({ dataDir: f.db.dataDir, databaseUrl: f.db.databaseUrl });
      await d.knex.raw(`DELETE FROM content_versions`);
      await d.close();
      f.store = await f.open({ skipReconcile: true });
      await f.store.reindex({ site: 'acme' });
      await f.store.close();
      f.store = undefined;
      expect(await searchRows(f.db)).to.deep.equal([{ version_number: 1, built: true }]);
    });
  });
}
