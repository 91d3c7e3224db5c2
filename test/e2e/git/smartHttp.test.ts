/**
 * Plain Git against the gateway, end to end with the real git CLI over real HTTP: clone, edit,
 * push; the pushed commits are versions (source git, the git author) before the push returns;
 * refusals name the path and move no ref; keys are checked; git fsck stays clean and reindex
 * gives the same history.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { databaseTargets } from '../../helpers/databases.js';
import { gitFsckStrict, git as gitDir } from '../../helpers/gitCli.js';
import { snapshotSite } from '../../helpers/snapshot.js';
import { GRACE, put, run, startGitGateway, tryGit, type GitGateway } from './harness.js';

for (const target of databaseTargets()) {
  describe(`git smart HTTP on ${target}`, function () {
    this.timeout(120_000);
    let g: GitGateway;

    beforeEach(async () => {
      g = await startGitGateway(target);
      const home = g.store.site('acme').doc('page', 'home');
      await home.save({ content: { title: 'Home' }, author: { name: 'Ada', email: 'ada@example.com' } });
      await home.save({ content: { title: 'Home 2' } });
    });
    afterEach(async () => g.stop());

    it('clone, edit a document, add one, push: both are versions with source git and the git author', async () => {
      await run(g.work, ['clone', g.remote('acme', g.keys.editor), 'c']);
      const c = join(g.work, 'c');
      expect(JSON.parse(await run(c, ['show', 'HEAD:page/home/en.json']))).to.deep.equal({ title: 'Home 2' });
      await put(c, 'page/home/en.json', '{ "title": "Home from git" }\n');
      await put(c, 'post/launch/fr.md', '# Lancement\n');
      await run(c, ['add', '.']);
      await run(c, ['commit', '-m', 'Edit home, add the launch post'], GRACE);
      const pushed = (await run(c, ['rev-parse', 'HEAD'])).trim();
      await run(c, ['push', 'origin', 'main']);

      // Indexed before the push was answered: no waiting here.
      const home = (await g.store.site('acme').doc('page', 'home').log()).items;
      expect(home.map((v) => v.number)).to.deep.equal([3, 2, 1]);
      expect(home[0]).to.include({ source: 'git', commit: pushed, branch: 'main', message: 'Edit home, add the launch post', isCurrentDraft: true });
      expect(home[0]!.author).to.deep.equal({ name: 'Grace Hopper', email: 'grace@example.com' });
      const launch = (await g.store.site('acme').doc('post', 'launch', 'fr').log()).items;
      expect(launch).to.have.length(1);
      expect(launch[0]).to.include({ number: 1, source: 'git', commit: pushed });

      const draft = await fetch(`${g.url}/v1/sites/acme/docs/page/home/en/versions/draft`, { headers: { authorization: `Bearer ${g.keys.viewer}` } });
      expect(draft.status).to.equal(200);
      const body = (await draft.json()) as { content: unknown; number: number; source: string };
      expect(body).to.deep.include({ content: { title: 'Home from git' }, number: 3, source: 'git' });

      // An SDK save continues the numbering after the pushed version.
      const v4 = await g.store.site('acme').doc('page', 'home').save({ content: { title: 'Home 4' } });
      expect(v4.number).to.equal(4);

      // A deletion pushed with git archives the document.
      await run(c, ['pull', '--ff-only', 'origin', 'main']);
      await run(c, ['rm', '-q', 'post/launch/fr.md']);
      await run(c, ['commit', '-m', 'Drop the launch post'], GRACE);
      await run(c, ['push', 'origin', 'main']);
      const docs = (await g.store.site('acme').docs({ type: 'post' })).items;
      expect(docs.find((d) => d.key === 'launch')?.archived).to.equal(true);

      gitFsckStrict(g.store.repoDir('acme'));
      const before = await snapshotSite(g.store, 'acme');
      await g.store.reindex({ site: 'acme' });
      expect(await snapshotSite(g.store, 'acme')).to.deep.equal(before);
      expect((await g.store.reconcile({ repair: false })).issues).to.deep.equal([]);
    });

    it('asks for a key (401 with a Basic challenge), lets a viewer fetch but not push, hides other sites', async () => {
      const anon = await fetch(`${g.url}/git/acme.git/info/refs?service=git-upload-pack`);
      expect(anon.status).to.equal(401);
      expect(anon.headers.get('www-authenticate')).to.match(/^Basic realm="verso"/);

      const noKey = await tryGit(g.work, ['clone', g.remote('acme'), 'anon']);
      expect(noKey.status).to.not.equal(0);

      const badKey = await tryGit(g.work, ['clone', g.remote('acme', 'vk_not-a-real-key-at-all'), 'bad']);
      expect(badKey.status).to.not.equal(0);

      await run(g.work, ['clone', g.remote('acme', g.keys.viewer), 'v']);
      const v = join(g.work, 'v');
      await put(v, 'page/home/en.json', '{"title":"viewer"}\n');
      await run(v, ['commit', '-am', 'Viewer edit'], GRACE);
      const head = gitDir(g.store.repoDir('acme'), 'rev-parse', 'refs/heads/main').trim();
      const refused = await tryGit(v, ['push', 'origin', 'main']);
      expect(refused.status).to.not.equal(0);
      expect(refused.stderr).to.match(/403/);
      expect(gitDir(g.store.repoDir('acme'), 'rev-parse', 'refs/heads/main').trim()).to.equal(head);

      // A key scoped to globex sees no acme repository at all.
      const other = await fetch(`${g.url}/git/acme.git/info/refs?service=git-upload-pack`, { headers: { authorization: `Basic ${Buffer.from(`x:${g.keys.other}`).toString('base64')}` } });
      expect(other.status).to.equal(404);
      const missing = await fetch(`${g.url}/git/nope.git/info/refs?service=git-upload-pack`, { headers: { authorization: `Basic ${Buffer.from(`x:${g.keys.admin}`).toString('base64')}` } });
      expect(missing.status).to.equal(404);

      // Pushing through with the viewer's clone and an editor key works.
      await run(v, ['push', g.remote('acme', g.keys.editor), 'main']);
      expect((await g.store.site('acme').doc('page', 'home').log()).items[0]).to.include({ number: 3, source: 'git' });
    });

    it('refuses a push with a bad path, an oversized file or invalid JSON, naming the path; the ref stays', async () => {
      await run(g.work, ['clone', g.remote('acme', g.keys.editor), 'c']);
      const c = join(g.work, 'c');
      const repo = g.store.repoDir('acme');
      const head = gitDir(repo, 'rev-parse', 'refs/heads/main').trim();
      const attempt = async (files: Record<string, string | Buffer>, message: string) => {
        await run(c, ['reset', '-q', '--hard', head]);
        for (const [p, content] of Object.entries(files)) await put(c, p, content);
        await run(c, ['add', '-A']);
        await run(c, ['commit', '-qm', message], GRACE);
        const r = await tryGit(c, ['push', 'origin', 'HEAD:main']);
        expect(r.status, r.stderr).to.not.equal(0);
        expect(gitDir(repo, 'rev-parse', 'refs/heads/main').trim()).to.equal(head);
        return r.stderr;
      };

      let said = await attempt({ 'README.md': '# notes\n', 'page/about/en.json': '{"ok":true}\n' }, 'Add a readme');
      expect(said).to.include('README.md');
      expect(said).to.include('outside the document layout');
      expect(said).to.include('pre-receive hook declined');

      said = await attempt({ 'page/About_Us/en.json': '{}\n' }, 'Bad slug');
      expect(said).to.include('page/About_Us/en.json');

      said = await attempt({ 'page/about/de.json': '{}\n' }, 'Locale the site lacks');
      expect(said).to.include('page/about/de.json').and.include('locale de');

      said = await attempt({ 'page/about/en.json': '{"title": "unterminated"\n' }, 'Broken JSON');
      expect(said).to.include('page/about/en.json').and.include('not valid JSON');

      said = await attempt({ 'page/big/en.txt': Buffer.alloc(10 * 1024 * 1024 + 1, 'a') }, 'Too big');
      expect(said).to.include('page/big/en.txt').and.include('the limit is 10485760');

      said = await attempt({ 'page/home/en.md': '# two formats\n' }, 'Second format');
      expect(said).to.include('page/home/en.md').and.include('one format');

      // Rules for refs: no tags, no published, no deleting, no rewriting history.
      await run(c, ['reset', '-q', '--hard', head]);
      await run(c, ['tag', 'v1']);
      expect((await tryGit(c, ['push', 'origin', 'v1'])).stderr).to.include('tags and notes are made through verso');
      expect((await tryGit(c, ['push', 'origin', 'HEAD:published'])).stderr).to.include('publishing through verso');
      expect((await tryGit(c, ['push', 'origin', 'HEAD:labels'])).stderr).to.include('the labels branch moves only through verso');
      expect((await tryGit(c, ['push', 'origin', ':main'])).stderr).to.match(/deleted through verso|deletion of the current branch prohibited/);
      await run(c, ['commit', '--amend', '-qm', 'Rewritten'], GRACE);
      expect((await tryGit(c, ['push', '--force', 'origin', 'HEAD:main'])).stderr).to.include('not a fast-forward');
      await run(c, ['reset', '-q', '--hard', head]);
      await put(c, 'page/x/en.json', '{}\n');
      await run(c, ['add', '-A']);
      await run(c, ['commit', '-qm', 'Forged\n\nVerso-Doc: page/x/en\nVerso-Version: 1'], GRACE);
      expect((await tryGit(c, ['push', 'origin', 'HEAD:main'])).stderr).to.include('carries verso trailers');

      expect(gitDir(repo, 'rev-parse', 'refs/heads/main').trim()).to.equal(head);
      expect((await g.store.site('acme').docs({ type: 'page' })).items.map((d) => d.key)).to.deep.equal(['home']);
      gitFsckStrict(repo);
    });

    it('pushes a new branch; its versions are on that branch and main is untouched', async () => {
      await run(g.work, ['clone', g.remote('acme', g.keys.editor), 'c']);
      const c = join(g.work, 'c');
      await run(c, ['checkout', '-qb', 'redesign']);
      await put(c, 'page/home/en.json', '{"title":"Redesigned"}\n');
      await run(c, ['commit', '-qam', 'Redesign home'], GRACE);
      await run(c, ['push', 'origin', 'redesign']);
      const log = (await g.store.site('acme').doc('page', 'home').log()).items;
      expect(log[0]).to.include({ number: 3, branch: 'redesign', source: 'git', isCurrentDraft: false });
      expect(log[1]).to.include({ number: 2, isCurrentDraft: true });
      expect((await g.store.site('acme').branches()).map((b) => b.name)).to.include('redesign');
    });
  });
}
