/**
 * The hot page (issue 12): many writers on ONE document at once. On PostgreSQL the saves that
 * queue behind the one in flight are written together (lib/ops/saveBatch.ts); on PGlite each
 * takes the two-transaction path. Either way every save is acknowledged with its own number,
 * numbers run 1..n without a gap, each acknowledged content is what `show` returns for its
 * number, a stale base is refused alone, a retried key gets the first answer, and the index
 * equals what reindex builds.
 */
import { expect } from 'chai';
import type { Version } from '../../../lib/types.js';
import { databaseTargets } from '../../helpers/databases.js';
import { gitFsckStrict } from '../../helpers/gitCli.js';
import { snapshotIndex } from '../../helpers/indexSnapshot.js';
import { expectRebuiltEqual, reindexedSnapshot, useFreshStore } from '../../helpers/storeFixture.js';
import { runScript } from '../../helpers/child.js';

for (const target of databaseTargets()) {
  describe(`one document saved by many writers at once on ${target}`, function () {
    this.timeout(120_000);
    const f = useFreshStore(target);

    it('numbers every save once, keeps every edit, refuses a stale base alone and answers a retried key once', async () => {
      const hot = f.store!.site('acme').doc('page', 'hot');
      await hot.save({ content: { n: 0 } });
      const acked: Version[] = [];
      const sent = new Map<Version, unknown>();
      const refused: unknown[] = [];
      const writer = async (w: number) => {
        for (let i = 0; i < 6; i++) {
          const v = await hot.save({ content: { w, i }, message: `w${w} i${i}`, author: { name: `W${w}` } });
          acked.push(v);
          sent.set(v, { w, i });
        }
      };
      // A save based on version 1 while the page races ahead: refused, and it takes no number.
      const stale = (async () => {
        await new Promise((r) => setTimeout(r, 30));
        await hot.save({ content: { stale: true }, baseVersion: 1 }).catch((err: unknown) => refused.push(err));
      })();
      // The same save sent twice at once (a client retry): one version, one answer.
      const retried = Promise.all([hot.save({ content: { retry: 1 }, idempotencyKey: 'retry-1' }), hot.save({ content: { retry: 1 }, idempotencyKey: 'retry-1' })]);
      await Promise.all([...Array.from({ length: 8 }, (_, w) => writer(w)), stale]);
      const [r1, r2] = await retried;
      expect(r1.number).to.equal(r2.number);

      expect(refused).to.have.length(1);
      expect(refused[0]).to.have.property('code', 'conflict');
      const numbers = [...acked.map((v) => v.number), r1.number].sort((a, b) => a - b);
      expect(numbers).to.deep.equal(Array.from({ length: 49 }, (_, i) => i + 2));
      const log = await hot.log({ limit: 100 });
      expect(log.items.map((v) => v.number)).to.deep.equal(Array.from({ length: 50 }, (_, i) => 50 - i));
      for (const v of acked) {
        const shown = await hot.show(v.number);
        expect(shown.content).to.deep.equal(sent.get(v));
        expect(shown.commit).to.equal(v.commit);
      }
      expect((await hot.show("draft")).number).to.equal(50);
      gitFsckStrict(f.store!.repoDir('acme'));

      expect((await f.store!.reconcile({ repair: false, full: true })).issues.filter((i) => i.kind !== 'stale_lock')).to.deep.equal([]);
      await f.store!.close();
      f.store = undefined;
      const before = await snapshotIndex(f.db);
      const drafts = (before.versions as Array<{ is_current_draft: boolean; number: number }>).filter((v) => v.is_current_draft);
      expect(drafts.map((v) => v.number)).to.deep.equal([50]);
      expectRebuiltEqual(await reindexedSnapshot(f), before);
    });

    // Killed (SIGKILL) the second time a save of the page reaches each step: on PostgreSQL that is
    // a batch of the lane (the first is the save in flight when the others queued).
    for (const at of ['after-commit:2', 'after-ref:2', 'after-index:2']) {
      it(`killed at ${at} with six writers on the page: recovery equals reindex, numbers 1..n, nothing acknowledged lost`, async () => {
        const doc = f.store!.site('acme').doc('post', 'm');
        await doc.save({ content: { start: true } });
        await f.store!.close();
        f.store = undefined;
        const child = await runScript('test/helpers/scripts/operator.ts', [f.db.dataDir, f.db.databaseUrl ?? '-', 'acme', 'save-hot', at], { VERSO_TEST_CRASH_AT: at });
        expect(child.signal, child.stderr).to.equal('SIGKILL');
        const acked = child.stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { acked: string }).acked);

        f.store = await f.open(); // start-up recovery
        expect((await f.store.reconcile({ repair: false, full: true })).issues.filter((i) => i.kind !== 'stale_lock')).to.deep.equal([]);
        gitFsckStrict(f.store.repoDir('acme'));
        await f.store.close();
        f.store = undefined;
        const recovered = await snapshotIndex(f.db);
        const rebuilt = await reindexedSnapshot(f);
        expectRebuiltEqual(rebuilt, recovered);
        const versions = rebuilt.versions as Array<{ doc: string; number: number; commit_hash: string; is_current_draft: boolean }>;
        const mine = versions.filter((v) => v.doc === 'post/m/en');
        expect(mine.map((v) => v.number)).to.deep.equal(Array.from({ length: mine.length }, (_, i) => i + 1));
        expect(mine.filter((v) => v.is_current_draft).map((v) => v.number)).to.deep.equal([mine.length]);
        for (const a of acked) expect(mine.map((v) => v.commit_hash)).to.include(a);
      });
    }
  });
}
