/**
 * Recovery: the history index is derivable from Git (reindex gives the same versions), and a
 * process killed at any step of the write path loses no acknowledged save.
 */
import { expect } from 'chai';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { runScript } from '../../helpers/child.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { gitFsckStrict } from '../../helpers/gitCli.js';
import { snapshotSite } from '../../helpers/snapshot.js';

const SAVER = 'test/helpers/scripts/saver.ts';
const STEPS = ['after-blob', 'after-commit', 'after-ref', 'after-index'];

for (const target of databaseTargets()) {
  describe(`recovery on ${target}`, function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let store: EmbeddedStore | undefined;
    const open = () => openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });

    beforeEach(async () => {
      db = await freshDatabase(target);
      store = await open();
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en', 'fr'] });
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
      await db.cleanup();
    });

    it('reindex from Git alone yields the same history and flags', async () => {
      const s = store!.site('acme');
      const page = s.doc('page', 'home');
      await page.save({ content: { t: 1 }, author: { name: 'Ada', email: 'ada@example.com' }, metadata: { ticket: 'X-1' }, idempotencyKey: 'k1' });
      await page.save({ content: { t: 2 }, source: 'ai_generation', kind: 'autosave' });
      await page.publish(1);
      await s.createBranch('redesign');
      await page.save({ content: { t: 3 }, branch: 'redesign' });
      await page.rollback(1, { publish: true });
      await s.createBranch('extra');
      await s.doc('page', 'fresh').save({ content: { f: 1 }, branch: 'extra' });
      await s.merge('extra');
      await s.doc('prd', 'search', 'fr').save({ content: '# Recherche\n', format: 'markdown' });
      const gone = s.doc('page', 'gone');
      await gone.save({ content: { x: 1 } });
      await gone.publish();
      await gone.archive();
      const before = await snapshotSite(store!, 'acme');
      const report = await store!.reindex({ site: 'acme' });
      expect(report.versions).to.equal(8);
      const after = await snapshotSite(store!, 'acme');
      expect(after).to.deep.equal(before);
      const fsck = await store!.reconcile({ repair: false });
      expect(fsck.issues).to.deep.equal([]);
    });

    for (const step of STEPS) {
      it(`a writer killed ${step} loses no acknowledged save`, async () => {
        await store!.close();
        store = undefined;
        const child = await runScript(SAVER, [db.dataDir, db.databaseUrl ?? '-', 'acme', 'crash', '5', 'w'], { VERSO_TEST_CRASH_AT: `${step}:3` });
        expect(child.signal, child.stderr).to.equal('SIGKILL');
        const acked = child.messages as Array<{ number: number; commit: string }>;
        expect(acked.map((a) => a.number)).to.deep.equal([1, 2]);
        store = await open();
        const log = await store.site('acme').doc('post', 'crash').log();
        const byNumber = new Map(log.items.map((v) => [v.number, v.commit]));
        for (const a of acked) expect(byNumber.get(a.number), `version ${a.number}`).to.equal(a.commit);
        // A kill after the ref moved leaves a commit the index lacked; start-up indexed it.
        expect(log.items.length).to.equal(step === 'after-ref' || step === 'after-index' ? 3 : 2);
        expect((await store.reconcile({ repair: false })).issues.filter((i) => i.kind !== 'stale_lock')).to.deep.equal([]);
        const before = await snapshotSite(store, 'acme');
        await store.reindex({ site: 'acme' });
        expect(await snapshotSite(store, 'acme')).to.deep.equal(before);
        const next = await store.site('acme').doc('post', 'crash').save({ content: { after: true } });
        expect(next.number).to.equal(log.items.length + 1);
        gitFsckStrict(store.repoDir('acme'));
      });
    }

    it('a save whose index write fails after the ref moved does not reuse its number', async () => {
      await store!.close();
      process.env.VERSO_TEST_CRASH_AT = 'throw@after-ref';
      try {
        store = await open();
      } finally {
        delete process.env.VERSO_TEST_CRASH_AT;
      }
      const d = store.site('acme').doc('post', 'orphan');
      let failed = false;
      await d.save({ content: { n: 1 } }).catch(() => (failed = true));
      expect(failed).to.equal(true);
      const v2 = await d.save({ content: { n: 2 } });
      expect(v2.number).to.equal(2);
      expect((await d.log()).items.map((v) => v.number)).to.deep.equal([2, 1]);
      expect((await d.show(1)).content).to.deep.equal({ n: 1 });
    });

    if (target === 'pglite') {
      it('refuses a second process on the same embedded data dir', async () => {
        const child = await runScript(SAVER, [db.dataDir, '-', 'acme', 'x', '1', 'w']);
        expect(child.code).to.not.equal(0);
        expect(child.stderr).to.match(/open in another process/);
      });
    }

    if (target === 'postgres') {
      it('4 processes saving to one branch: every acknowledged save in both stores', async () => {
        const procs = await Promise.all(
          [0, 1, 2, 3].map((p) => Promise.all([
            runScript(SAVER, [db.dataDir, db.databaseUrl!, 'acme', `p${p}-%i`, '10', `p${p}`]),
          ]).then(([r]) => r!)),
        );
        const shared = await Promise.all([0, 1, 2, 3].map((p) => runScript(SAVER, [db.dataDir, db.databaseUrl!, 'acme', 'shared', '10', `s${p}`])));
        const all = [...procs, ...shared];
        for (const r of all) expect(r.code, r.stderr).to.equal(0);
        const acked = all.flatMap((r) => r.messages as Array<{ key: string; number: number; commit: string }>);
        expect(acked).to.have.length(80);
        const sharedNumbers = acked.filter((a) => a.key === 'shared').map((a) => a.number).sort((a, b) => a - b);
        expect(sharedNumbers).to.deep.equal(Array.from({ length: 40 }, (_, i) => i + 1));
        const reachable = new Set((await import('../../helpers/gitCli.js')).git(store!.repoDir('acme'), 'rev-list', 'main').trim().split('\n'));
        for (const a of acked) {
          expect(reachable.has(a.commit), a.commit).to.equal(true);
          const v = await store!.site('acme').doc('post', a.key).show(a.number);
          expect(v.commit).to.equal(a.commit);
        }
        gitFsckStrict(store!.repoDir('acme'));
      });
    }
  });
}
