/**
 * Plain-git commits in the history index: numbers continue each document's sequence across
 * branches in the order writes reach the index, and reindex gives the same numbers and hashes
 * because the indexer records them in a `refs/notes/verso` note; fsck finds and repairs
 * commits nobody indexed; sync brings in commits from elsewhere, fast-forward only.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { syncSite } from '../../../lib/ops/sync.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import { ConflictError, ValidationError, NotFoundError } from '../../../lib/errors/index.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { gitFsckStrict, git as gitDir } from '../../helpers/gitCli.js';
import { snapshotSite } from '../../helpers/snapshot.js';
import { GRACE, put, run } from '../../e2e/git/harness.js';

for (const target of databaseTargets()) {
  describe(`plain-git commits in the index on ${target}`, function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let store: EmbeddedStore;
    let work: string;
    let repo: string;
    let clone: string;

    beforeEach(async () => {
      db = await freshDatabase(target);
      store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en', 'fr'] });
      await store.site('acme').doc('page', 'home').save({ content: { v: 1 } });
      repo = store.repoDir('acme');
      work = await mkdtemp(join(tmpdir(), 'verso-numbering-'));
      await run(work, ['clone', '-q', repo, 'c']);
      clone = join(work, 'c');
    });
    afterEach(async () => {
      await store.close();
      await db.cleanup();
      await rm(work, { recursive: true, force: true });
    });

    /** Commits in the clone and pushes straight into the site repository (no hooks here). */
    const commitAndPush = async (branch: string, files: Record<string, string | null>, message: string) => {
      await run(clone, ['checkout', '-q', '-B', branch, `origin/${branch}`]);
      for (const [p, content] of Object.entries(files)) {
        if (content === null) await run(clone, ['rm', '-q', p]);
        else await put(clone, p, content);
      }
      await run(clone, ['add', '-A']);
      await run(clone, ['commit', '-qm', message], GRACE);
      await run(clone, ['push', '-q', 'origin', branch]);
      await run(clone, ['fetch', '-q', 'origin']);
      return (await run(clone, ['rev-parse', 'HEAD'])).trim();
    };

    it('numbers interleave with saves on other branches, and reindex gives the same numbers and hashes', async () => {
      const home = store.site('acme').doc('page', 'home');
      await store.site('acme').createBranch('redesign');
      await run(clone, ['fetch', '-q', 'origin']);
      expect((await home.save({ content: { v: 2 }, branch: 'redesign' })).number).to.equal(2);
      await run(clone, ['fetch', '-q', 'origin']);
      const onMain = await commitAndPush('main', { 'page/home/en.json': '{"v":"git on main"}\n', 'post/a/en.md': '# A\n' }, 'Git on main');
      await store.reconcile({ site: 'acme', repair: true });
      expect((await home.save({ content: { v: 4 }, branch: 'redesign' })).number).to.equal(4);
      await run(clone, ['fetch', '-q', 'origin']);
      const onRedesign = await commitAndPush('redesign', { 'page/home/en.json': '{"v":"git on redesign"}\n' }, 'Git on redesign');
      await store.reconcile({ site: 'acme', repair: true });
      const gone = await commitAndPush('main', { 'post/a/en.md': null, 'README.md': 'stray\n' }, 'Drop post a');
      await store.reconcile({ site: 'acme', repair: true });

      const log = (await home.log()).items.map((v) => [v.number, v.branch, v.source, v.commit === onMain ? 'onMain' : v.commit === onRedesign ? 'onRedesign' : 'sdk']);
      expect(log).to.deep.equal([
        [5, 'redesign', 'git', 'onRedesign'],
        [4, 'redesign', 'user', 'sdk'],
        [3, 'main', 'git', 'onMain'],
        [2, 'redesign', 'user', 'sdk'],
        [1, 'main', 'user', 'sdk'],
      ]);
      expect((await store.site('acme').docs({ type: 'post' })).items[0]).to.include({ key: 'a', archived: true });
      // The numbers are in Git, readable with plain git.
      expect(gitDir(repo, 'notes', '--ref=verso', 'show', onMain)).to.include('Verso-Doc: page/home/en\nVerso-Branch: main\nVerso-Version: 3');
      expect(gitDir(repo, 'notes', '--ref=verso', 'show', gone)).to.include('Verso-Action: archive');

      const before = await snapshotSite(store, 'acme');
      const seen: Array<[number, number]> = [];
      await store.reindex({ site: 'acme', onProgress: (done, total) => seen.push([done, total]) });
      expect(await snapshotSite(store, 'acme')).to.deep.equal(before);
      expect(seen.at(-1)?.[0]).to.equal(seen.at(-1)?.[1]);
      // Nothing left to index: the commit that only archived and added a stray file counts as indexed.
      expect((await store.reconcile({ site: 'acme', repair: false })).issues).to.deep.equal([]);
      gitFsckStrict(repo);

      // Without the notes (lost, or commits indexed before notes existed) reindex still gives
      // unique numbers, writes the notes, and then stays stable.
      gitDir(repo, 'update-ref', '-d', 'refs/notes/verso');
      await store.reindex({ site: 'acme' });
      const renumbered = (await home.log()).items.map((v) => v.number);
      expect(new Set(renumbered).size).to.equal(renumbered.length);
      const once = await snapshotSite(store, 'acme');
      await store.reindex({ site: 'acme' });
      expect(await snapshotSite(store, 'acme')).to.deep.equal(once);
    });

    it('fsck reports a plain-git commit nobody indexed, repairs it, and skips branches that are not slugs', async () => {
      await run(clone, ['fetch', '-q', 'origin']);
      const commit = await commitAndPush('main', { 'page/home/fr.json': '{"v":"fr"}\n' }, 'French home');
      await run(clone, ['push', '-q', 'origin', 'HEAD:refs/heads/Feature/X']);
      const report = await store.reconcile({ site: 'acme', repair: false });
      expect(report.ok).to.equal(false);
      expect(report.issues.map((i) => [i.kind, i.detail.split(' ').slice(0, 2).join(' ')])).to.deep.equal([['unindexed_commit', `main ${commit.slice(0, 12)}`]]);
      await store.reconcile({ site: 'acme', repair: true });
      expect((await store.site('acme').doc('page', 'home', 'fr').log()).items[0]).to.include({ number: 1, source: 'git', commit });
      expect((await store.reconcile({ site: 'acme', repair: false })).issues).to.deep.equal([]);
    });

    it('sync: fast-forwards a branch from another repository and indexes it; refuses what breaks the layout or is not a fast-forward', async () => {
      const outside = join(work, 'outside');
      await run(work, ['clone', '-q', repo, 'outside']);
      await put(outside, 'page/home/en.json', '{"v":"from outside"}\n');
      await put(outside, 'page/about/fr.txt', 'À propos\n');
      await run(outside, ['add', '-A']);
      await run(outside, ['commit', '-qm', 'Outside edit'], GRACE);
      const r = await syncSite({ store, site: 'acme', from: outside });
      expect(r).to.deep.include({ branch: 'main', commits: 1, upToDate: false, indexed: 1 });
      expect((await store.site('acme').doc('page', 'home').show('draft')).content).to.deep.equal({ v: 'from outside' });
      expect((await store.site('acme').doc('page', 'about', 'fr').log()).items[0]).to.include({ source: 'git', number: 1 });
      expect((await syncSite({ store, site: 'acme', from: outside })).upToDate).to.equal(true);
      expect(gitDir(repo, 'for-each-ref', 'refs/verso/incoming')).to.equal('');

      const head = gitDir(repo, 'rev-parse', 'refs/heads/main').trim();
      await put(outside, 'docs/readme.markdown', 'x\n');
      await run(outside, ['add', '-A']);
      await run(outside, ['commit', '-qm', 'Bad layout'], GRACE);
      const bad = await syncSite({ store, site: 'acme', from: outside }).catch((e: unknown) => e);
      expect(bad).to.be.instanceOf(ValidationError);
      expect((bad as Error).message).to.include('docs/readme.markdown');
      expect(gitDir(repo, 'rev-parse', 'refs/heads/main').trim()).to.equal(head);

      await run(outside, ['reset', '-q', '--hard', 'HEAD~1']);
      await store.site('acme').doc('page', 'home').save({ content: { v: 'api' } });
      await put(outside, 'page/home/fr.json', '{}\n');
      await run(outside, ['add', '-A']);
      await run(outside, ['commit', '-qm', 'Diverged'], GRACE);
      expect(await syncSite({ store, site: 'acme', from: outside }).catch((e: unknown) => e)).to.be.instanceOf(ConflictError);
      expect(await syncSite({ store, site: 'acme', from: outside, fromBranch: 'nope' }).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
      expect(await syncSite({ store, site: 'acme', from: join(work, 'missing') }).catch((e: unknown) => e)).to.be.instanceOf(ValidationError);
      expect(await syncSite({ store, site: 'acme', from: outside, branch: 'published' }).catch((e: unknown) => e)).to.be.instanceOf(ValidationError);
      expect(await syncSite({ store, site: 'acme', from: '--upload-pack=touch /tmp/x' }).catch((e: unknown) => e)).to.be.instanceOf(ValidationError);
      gitFsckStrict(repo);
    });
  });
}
