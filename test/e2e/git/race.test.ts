/**
 * A git push racing API saves on one branch: the ref lock (git's own, which receive-pack and
 * verso's compare-and-swap both take) lets neither overwrite the other. A push that lost the
 * race is refused as usual and succeeds after fetch + rebase; every acknowledged save and the
 * pushed commit end up in Git and in the index.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { databaseTargets } from '../../helpers/databases.js';
import { gitFsckStrict, git as gitDir } from '../../helpers/gitCli.js';
import { snapshotSite } from '../../helpers/snapshot.js';
import { GRACE, put, run, startGitGateway, tryGit, type GitGateway } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const target of databaseTargets()) {
  describe(`git push racing API saves on ${target}`, function () {
    this.timeout(180_000);
    let g: GitGateway;
    beforeEach(async () => {
      g = await startGitGateway(target);
      await g.store.site('acme').doc('page', 'home').save({ content: { n: 0 } });
      await g.store.site('acme').doc('post', 'hello').save({ content: { title: 'Hello' } });
    });
    afterEach(async () => g.stop());

    it('10 API saves and a push to main: all acknowledged saves and the pushed commit are in Git and the index', async () => {
      await run(g.work, ['clone', g.remote('acme', g.keys.editor), 'c']);
      const c = join(g.work, 'c');
      await put(c, 'post/hello/en.json', '{"title":"Hello from git"}\n');
      await run(c, ['commit', '-qam', 'Retitle hello'], GRACE);

      const save = async (n: number) => {
        await sleep(n * 60);
        const res = await fetch(`${g.url}/v1/sites/acme/docs/page/home/en/versions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${g.keys.editor}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: { n: n + 1 }, message: `save ${n + 1}` }),
        });
        const body = (await res.json()) as { number: number; commit: string };
        return res.ok ? body : undefined;
      };
      const push = async () => {
        const attempts: string[] = [];
        for (let i = 0; i < 20; i++) {
          const r = await tryGit(c, ['push', 'origin', 'main']);
          if (r.status === 0) return { attempts };
          attempts.push(r.stderr);
          // The usual answer to a refused push: fetch, rebase, push again.
          await run(c, ['pull', '-q', '--rebase', 'origin', 'main'], GRACE);
        }
        throw new Error(`push never went through:\n${attempts.join('\n')}`);
      };
      const [acked, pushed] = await Promise.all([Promise.all(Array.from({ length: 10 }, (_, n) => save(n))), (async () => (await sleep(150), push()))()]);

      const repo = g.store.repoDir('acme');
      const head = gitDir(repo, 'rev-parse', 'refs/heads/main').trim();
      const saves = acked.filter((s): s is { number: number; commit: string } => s !== undefined);
      expect(saves).to.have.length(10);
      const log = (await g.store.site('acme').doc('page', 'home').log({ limit: 100 })).items;
      for (const s of saves) {
        gitDir(repo, 'merge-base', '--is-ancestor', s.commit, head); // throws when not reachable
        expect(log.find((v) => v.number === s.number)?.commit).to.equal(s.commit);
      }
      expect(new Set(saves.map((s) => s.number)).size).to.equal(10);

      const pushedCommit = (await run(c, ['rev-parse', 'HEAD'])).trim();
      gitDir(repo, 'merge-base', '--is-ancestor', pushedCommit, head);
      const hello = (await g.store.site('acme').doc('post', 'hello').log()).items;
      expect(hello[0]).to.include({ number: 2, source: 'git', commit: pushedCommit });
      const shown = await g.store.site('acme').doc('post', 'hello').show('draft');
      expect(shown.content).to.deep.equal({ title: 'Hello from git' });
      // The last acknowledged save is the current draft of home.
      const last = saves.reduce((a, b) => (a.number > b.number ? a : b));
      expect(log.find((v) => v.isCurrentDraft)?.number).to.equal(last.number);

      gitFsckStrict(repo);
      const before = await snapshotSite(g.store, 'acme');
      await g.store.reindex({ site: 'acme' });
      expect(await snapshotSite(g.store, 'acme')).to.deep.equal(before);
      // Say how the race went (how many times the push had to rebase), for the log.
      console.log(`      push attempts refused before it went through: ${pushed.attempts.length}`);
    });
  });
}
