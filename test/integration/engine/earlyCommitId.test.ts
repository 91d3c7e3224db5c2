/**
 * A save writes its version row while Git fsyncs, with the commit id announced before the
 * fsyncs (CommitOnRefArgs.onBuilt). When another process moved the branch since this process
 * last set it, the batch is rebuilt on the new head and the commit gets another id: the version
 * row and its event must name the commit that landed, and reindex must find nothing to change.
 */
import { expect } from 'chai';
import { databaseTargets } from '../../helpers/databases.js';
import { git } from '../../helpers/git.js';
import { gitFsckStrict } from '../../helpers/gitCli.js';
import { snapshotIndex } from '../../helpers/indexSnapshot.js';
import { expectRebuiltEqual, reindexedSnapshot, useFreshStore } from '../../helpers/storeFixture.js';

for (const target of databaseTargets()) {
  describe(`a save whose commit is rebuilt on a moved head on ${target}`, function () {
    this.timeout(60_000);
    const f = useFreshStore(target);

    it('records the commit that landed, in the version and its event', async () => {
      const doc = f.store!.site('acme').doc('post', 'a');
      await doc.save({ content: { n: 1 } });
      const dir = f.store!.repoDir('acme');
      // Another writer (plain git here) moves main: this process's queue still guesses the old head.
      const head = git(dir, ['rev-parse', 'refs/heads/main']).trim();
      const outside = git(dir, ['commit-tree', `${head}^{tree}`, '-p', head, '-m', 'outside'], { env: { GIT_AUTHOR_NAME: 'O', GIT_AUTHOR_EMAIL: 'o@x', GIT_COMMITTER_NAME: 'O', GIT_COMMITTER_EMAIL: 'o@x' } }).trim();
      git(dir, ['update-ref', 'refs/heads/main', outside, head]);

      const v2 = await doc.save({ content: { n: 2 } });
      const landed = git(dir, ['rev-parse', 'refs/heads/main']).trim();
      expect(v2.commit).to.equal(landed);
      expect(git(dir, ['rev-parse', `${landed}^`]).trim()).to.equal(outside);
      expect((await doc.log({ limit: 1 })).items[0]!.commit).to.equal(landed);
      gitFsckStrict(dir);

      // The outside commit carries no version, so reconcile names it; nothing else is amiss.
      const issues = (await f.store!.reconcile({ repair: false, full: true })).issues.filter((i) => i.kind !== 'stale_lock');
      expect(issues.map((i) => [i.kind, i.detail.endsWith(' outside')])).to.deep.equal([['unindexed_commit', true]]);
      await f.store!.close();
      f.store = undefined;
      const before = await snapshotIndex(f.db);
      const events = before.events as Array<{ action: string; version_number: number | null; commit_hash: string | null }>;
      expect(events.filter((e) => e.action === 'version.create' && e.version_number === 2).map((e) => e.commit_hash)).to.deep.equal([landed]);
      expectRebuiltEqual(await reindexedSnapshot(f), before);
    });
  });
}
