/**
 * Orphan commits (issue 8 item 3): a commit whose trailer claims version N while the index
 * lacks it — a writer that died after moving its ref — must never let a live writer hand out N
 * again; and what older builds left (two commits claiming one number) must index, renumbered
 * and reported, with reindex giving the same numbers.
 */
import { expect } from 'chai';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { gitFsckStrict } from '../../helpers/gitCli.js';
import { duplicateEvents, snapshotIndex } from '../../helpers/indexSnapshot.js';
import { plumbCommit, versoMessage } from '../../helpers/plumbing.js';

const orphan = (repo: string, version: number, content: string) =>
  plumbCommit(repo, {
    path: 'post/crash/en.json',
    content,
    message: versoMessage('Saved by a writer that died', { Doc: 'post/crash/en', Kind: 'draft', Source: 'user', Branch: 'main', Version: version }),
  });

for (const target of databaseTargets()) {
  describe(`orphan commits on ${target}`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let store: EmbeddedStore | undefined;
    const open = (skipReconcile = false) => openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl, skipReconcile });

    beforeEach(async () => {
      db = await freshDatabase(target);
      store = await open();
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
      await db.cleanup();
    });

    it('a live store indexes an orphan before it takes a number, and restarts cleanly', async () => {
      const doc = () => store!.site('acme').doc('post', 'crash');
      await doc().save({ content: { n: 1 } });
      // Another process moved main and died before its index transaction.
      const o = orphan(store!.repoDir('acme'), 2, '{\n  "n": 2\n}\n');
      const next = await doc().save({ content: { n: 3 } });
      expect(next.number).to.equal(3);
      expect((await doc().show(2)).commit).to.equal(o);
      // An unrelated document saved on top does not hide a later orphan either.
      const o2 = orphan(store!.repoDir('acme'), 4, '{\n  "n": 4\n}\n');
      await store!.site('acme').doc('post', 'other').save({ content: { x: 1 } });
      expect((await doc().save({ content: { n: 5 } })).number).to.equal(5);
      expect((await doc().show(4)).commit).to.equal(o2);
      await store!.close();
      store = await open();
      expect((await store.reconcile({ repair: false })).issues).to.deep.equal([]);
      gitFsckStrict(store.repoDir('acme'));
    });

    it('two commits claiming one number (an older build): both indexed, the later renumbered, reported, and reindex agrees', async () => {
      const doc = () => store!.site('acme').doc('post', 'crash');
      await doc().save({ content: { n: 1 } });
      await doc().save({ content: { n: 2 } });
      await store!.close();
      store = undefined;
      // What builds before the orphan check left: an orphan claiming 3, and a later save that
      // reused 3 after it.
      const repo = `${db.dataDir}/repos/acme.git`;
      const first = orphan(repo, 3, '{\n  "n": "orphan"\n}\n');
      const second = orphan(repo, 3, '{\n  "n": "reused"\n}\n');
      store = await open(true);
      const report = await store.reconcile({ repair: true });
      const renumbered = report.issues.filter((i) => i.kind === 'renumbered_version');
      expect(renumbered, JSON.stringify(report.issues)).to.have.length(1);
      expect(renumbered[0]!.detail).to.match(/claimed version 3.*indexed as version 4/);
      const log = await doc().log();
      expect(log.items.map((v) => [v.number, v.commit])).to.deep.equal([[4, second], [3, first], [2, log.items[2]!.commit], [1, log.items[3]!.commit]]);
      expect((await doc().save({ content: { n: 5 } })).number).to.equal(5);
      await store.close();
      const before = await snapshotIndex(db);
      store = await open();
      await store.reindex({ site: 'acme' });
      await store.close();
      store = undefined;
      const after = await snapshotIndex(db);
      expect(after.versions).to.deep.equal(before.versions);
      expect(after.events).to.deep.equal(before.events);
      expect(duplicateEvents(after)).to.deep.equal([]);
      store = await open();
      expect((await store.reconcile({ repair: false })).issues).to.deep.equal([]);
      gitFsckStrict(store.repoDir('acme'));
    });
  });
}
