/**
 * A dead writer's commit buried under another document's save (several gateways on one
 * database). Gateway A moves main onto its commit K (document D, version N) and dies before
 * its COMMIT; until PostgreSQL notices, D's row stays locked, so gateway B's save of another
 * document walks past K without indexing it and commits on top. The next save of D must still
 * find K under B's indexed commit and index it, or it would number N again and the index
 * would differ from what reindex builds (test/e2e/scale/gateways.test.ts caught this). The
 * dying writer is stood in for by a transaction on another connection that holds D's row
 * lock, so PostgreSQL only: PGlite has one connection and one process.
 */
import { expect } from 'chai';
import knexFactory from 'knex';
import { databaseTargets } from '../../helpers/databases.js';
import { gitFsckStrict } from '../../helpers/gitCli.js';
import { snapshotIndex } from '../../helpers/indexSnapshot.js';
import { plumbCommit, versoMessage } from '../../helpers/plumbing.js';
import { expectRebuiltEqual, reindexedSnapshot, useFreshStore } from '../../helpers/storeFixture.js';

if (databaseTargets().includes('postgres')) {
  describe('an orphan buried under another document\'s save (postgres)', function () {
    this.timeout(120_000);
    const f = useFreshStore('postgres');

    it('is found by the next save of its document, which takes the number after it; index equals reindex', async () => {
      const site = f.store!.site('acme');
      const d = site.doc('post', 'crash');
      await d.save({ content: { n: 1 } });
      await site.doc('post', 'other').save({ content: { x: 0 } }); // this process has walked main
      const other = knexFactory({ client: 'pg', connection: f.db.databaseUrl });
      const dying = await other.transaction();
      try {
        // The dying writer: D's row locked, its commit K on main, never indexed.
        await dying.raw("SELECT id FROM documents WHERE type = 'post' AND key = 'crash' FOR UPDATE");
        const k = plumbCommit(f.store!.repoDir('acme'), {
          path: 'post/crash/en.json',
          content: '{\n  "n": 2\n}\n',
          message: versoMessage('Saved by a gateway that died', { Doc: 'post/crash/en', Kind: 'draft', Source: 'user', Branch: 'main', Version: 2 }),
        });
        // Another document's save walks past K (D is locked) and commits on top of it.
        await site.doc('post', 'other').save({ content: { x: 1 } });
        await dying.rollback(); // the writer is gone; its lock with it
        const next = await d.save({ content: { n: 3 } });
        expect(next.number).to.equal(3);
        expect((await d.show(2)).commit).to.equal(k);
      } finally {
        if (!dying.isCompleted()) await dying.rollback();
        await other.destroy();
      }
      gitFsckStrict(f.store!.repoDir('acme'));
      const kept = await snapshotIndex(f.db);
      expectRebuiltEqual(await reindexedSnapshot(f), kept);
    });
  });
}
