/**
 * Ref locks left by a killed writer (issue: kill -9 during parallel saves left
 * refs/heads/main.lock and blocked saves and pushes to main for minutes). A running store
 * judges a lock it finds by its holder (pid + start time) or, without one, by age, removes it
 * atomically and logs the removal.
 */
import { expect } from 'chai';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { startScript } from '../../helpers/child.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { git, gitResult } from '../../helpers/git.js';
import { gitFsckStrict } from '../../helpers/gitCli.js';

const HOLDER = 'test/helpers/scripts/refLockHolder.ts';

for (const target of databaseTargets()) {
  describe(`stale ref locks on ${target}`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let store: EmbeddedStore;
    let warnings: Array<{ data: Record<string, unknown>; msg: string }>;

    beforeEach(async () => {
      db = await freshDatabase(target);
      warnings = [];
      const logger = { info: () => undefined, warn: (data: object, msg: string) => void warnings.push({ data: data as Record<string, unknown>, msg }) };
      store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl, logger });
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
      await store.site('acme').doc('post', 'a').save({ content: { n: 1 } });
    });
    afterEach(async () => {
      await store.close();
      await db.cleanup();
    });

    it('a save and a git push succeed after the holder of main.lock was SIGKILLed, and the removal is logged', async () => {
      const dir = store.repoDir('acme');
      const lock = join(dir, 'refs/heads/main.lock');
      const holder = startScript(HOLDER, [dir, 'refs/heads/main']);
      expect(await holder.firstMessage).to.deep.equal({ locked: 'refs/heads/main', pid: holder.pid });
      await holder.kill();
      expect(existsSync(lock), 'the killed holder left its lock').to.equal(true);
      expect(readFileSync(lock, 'utf8')).to.include(`pid=${holder.pid}`);

      const v2 = await store.site('acme').doc('post', 'a').save({ content: { n: 2 } });
      expect(v2.number).to.equal(2);
      const removed = warnings.filter((w) => w.data.lock === lock);
      expect(removed, JSON.stringify(warnings)).to.have.length(1);
      expect(removed[0]!.data).to.include({ verdict: 'dead' });
      expect(removed[0]!.data.holder).to.include({ pid: holder.pid });

      const work = join(db.dataDir, 'work');
      git(db.dataDir, ['clone', '-q', dir, work]);
      writeFileSync(join(work, 'README.txt'), 'pushed by git\n');
      git(work, ['add', 'README.txt']);
      git(work, ['commit', '-q', '-m', 'readme']);
      const push = gitResult(work, ['push', '-q', 'origin', 'main']);
      expect(push.status, push.stderr).to.equal(0);
      expect(git(dir, ['rev-parse', 'refs/heads/main']).trim()).to.equal(git(work, ['rev-parse', 'HEAD']).trim());
      gitFsckStrict(dir);
    });

    it("removes a lock without a holder line (git's) only once it is old, while running", async () => {
      const dir = store.repoDir('acme');
      const lock = join(dir, 'refs/heads/main.lock');
      writeFileSync(lock, '');
      const old = new Date(Date.now() - 10 * 60_000);
      utimesSync(lock, old, old);
      const v2 = await store.site('acme').doc('post', 'a').save({ content: { n: 2 } });
      expect(v2.number).to.equal(2);
      expect(warnings.filter((w) => w.data.lock === lock).map((w) => w.data.verdict)).to.deep.equal(['unknown']);
      expect(existsSync(lock)).to.equal(false);
    });
  });
}
