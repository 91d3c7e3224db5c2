/**
 * Saves in flight together (issue 12, "PGlite"): a save does not hold the database across its
 * Git write, so a save stuck in Git (its branch locked by a push, say) does not stop a save of
 * another document; and a mix of saves of distinct documents, of one document, a first save, a
 * merge and a publish, all at once, still numbers every document 1..n without a gap or a
 * repeat, loses no acknowledged save, and leaves an index equal to what reindex builds.
 */
import { expect } from 'chai';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Version } from '../../../lib/types.js';
import { databaseTargets } from '../../helpers/databases.js';
import { expectRebuiltEqual, reindexedSnapshot, useFreshStore } from '../../helpers/storeFixture.js';
import { gitFsckStrict } from '../../helpers/gitCli.js';
import { snapshotIndex } from '../../helpers/indexSnapshot.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const target of databaseTargets()) {
  describe(`saves in flight together on ${target}`, function () {
    this.timeout(120_000);
    const f = useFreshStore(target, { site: { id: 'acme', name: 'Acme', locales: ['en'] } });

    it('a save waiting for its branch lock does not hold up a save of another document', async () => {
      const site = f.store!.site('acme');
      await site.doc('post', 'a').save({ content: { n: 1 } });
      await site.doc('post', 'b').save({ content: { n: 1 } });
      await site.createBranch('feature');
      // A push holds feature's ref lock (Git's protocol): b's save waits in its Git write.
      const lock = join(f.store!.repoDir('acme'), 'refs', 'heads', 'feature.lock');
      await writeFile(lock, '');
      let stuckDone = false;
      const stuck = site.doc('post', 'b').save({ content: { n: 2 }, branch: 'feature' }).finally(() => (stuckDone = true));
      await sleep(300);
      const started = Date.now();
      const a = await site.doc('post', 'a').save({ content: { n: 2 } });
      expect(a.number).to.equal(2);
      expect(stuckDone, 'the save of b is still waiting for the lock').to.equal(false);
      expect(Date.now() - started).to.be.lessThan(3000);
      await unlink(lock);
      expect((await stuck).number).to.equal(2);
    });

    it('distinct documents, one hot document, a first save, a merge and a publish at once: numbers 1..n, nothing lost, index equals reindex', async () => {
      const site = f.store!.site('acme');
      const docs = Array.from({ length: 5 }, (_, i) => site.doc('post', `d${i}`));
      for (const d of docs) await d.save({ content: { n: 0 } });
      const hot = site.doc('post', 'hot');
      await hot.save({ content: { n: 0 } });
      await site.createBranch('feature');
      await site.createBranch('release');
      // The merge (into release: a merge refuses a target that moves under it) takes a number
      // of the hot document while its saves on main are in flight.
      await hot.save({ content: { feature: 1 }, branch: 'feature' });
      const acked: Array<{ doc: string; v: Version }> = [];
      const writer = async (name: string, d: typeof hot, n: number) => {
        for (let i = 1; i <= n; i++) acked.push({ doc: name, v: await d.save({ content: { n: i, by: Math.random() } }) });
      };
      await Promise.all([
        ...docs.map((d, i) => writer(`d${i}`, d, 4)),
        writer('hot', hot, 4),
        writer('hot', hot, 4),
        writer('hot', hot, 4),
        writer('new', site.doc('post', 'new'), 3),
        site.merge('feature', { into: 'release' }),
        docs[0]!.publish(),
      ]);
      for (const name of [...docs.map((_, i) => `d${i}`), 'hot', 'new']) {
        const log = await site.doc('post', name).log({ limit: 100 });
        const numbers = log.items.map((v) => v.number).sort((x, y) => x - y);
        expect(numbers, name).to.deep.equal(Array.from({ length: numbers.length }, (_, i) => i + 1));
        const commits = new Set(log.items.map((v) => v.commit));
        for (const a of acked.filter((x) => x.doc === name)) expect(commits.has(a.v.commit), `${name} v${a.v.number}`).to.equal(true);
      }
      const hotNumbers = acked.filter((a) => a.doc === 'hot').map((a) => a.v.number);
      expect(new Set(hotNumbers).size).to.equal(12);
      expect((await hot.log({ limit: 100 })).items).to.have.length(2 + 12 + 1);
      gitFsckStrict(f.store!.repoDir('acme'));
      expect((await f.store!.reconcile({ repair: false, full: true })).issues.filter((i) => i.kind !== 'stale_lock')).to.deep.equal([]);
      await f.store!.close();
      f.store = undefined;
      const before = await snapshotIndex(f.db);
      expectRebuiltEqual(await reindexedSnapshot(f), before);
    });
  });
}
