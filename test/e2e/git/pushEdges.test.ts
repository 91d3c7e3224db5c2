/**
 * Edges of git smart HTTP found in review: a directory (tree) at a document path was accepted
 * and made that document unsavable; a viewer's fetch with `//`, `/./` or `/../` in the git
 * path reached git http-backend and answered 500; a ref lock left by a killed writer made every
 * push to that branch fail.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startScript } from '../../helpers/child.js';
import { databaseTargets } from '../../helpers/databases.js';
import { git as gitDir } from '../../helpers/gitCli.js';
import { GRACE, put, run, startGitGateway, tryGit, type GitGateway } from './harness.js';

/** GET with the path sent byte for byte (fetch() would normalise dot segments away). */
function rawGet(base: string, path: string, key: string): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET', headers: { authorization: `Basic ${Buffer.from(`git:${key}`).toString('base64')}` } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

for (const target of databaseTargets()) {
  describe(`git smart HTTP edges on ${target}`, function () {
    this.timeout(120_000);
    let g: GitGateway;

    beforeEach(async () => {
      g = await startGitGateway(target);
      await g.store.site('acme').doc('page', 'home').save({ content: { title: 'Home' } });
    });
    afterEach(async () => g.stop());

    it('refuses a push with an empty directory at a document path, naming the path; the document stays savable', async () => {
      await run(g.work, ['clone', '-q', g.remote('acme', g.keys.editor), 'c']);
      const c = join(g.work, 'c');
      // An empty tree at page/x/en.json: only plumbing can build it (git add never does).
      const empty = mktree(c, '');
      const x = mktree(c, `040000 tree ${empty}\ten.json\n`);
      const pageEntries = await run(c, ['ls-tree', 'HEAD:page']);
      const page = mktree(c, `${pageEntries}040000 tree ${x}\tx\n`);
      const rootEntries = (await run(c, ['ls-tree', 'HEAD'])).split('\n').filter((l) => l && !l.endsWith('\tpage'));
      const root = mktree(c, [...rootEntries, `040000 tree ${page}\tpage`].join('\n') + '\n');
      const commit = (await run(c, ['commit-tree', root, '-p', 'HEAD', '-m', 'A directory where a document goes'], GRACE)).trim();
      const before = gitDir(g.store.repoDir('acme'), 'rev-parse', 'refs/heads/main').trim();
      const pushed = await tryGit(c, ['push', 'origin', `${commit}:refs/heads/main`]);
      expect(pushed.status, pushed.stderr).to.not.equal(0);
      expect(pushed.stderr).to.include('page/x/en.json').and.include('is a directory');
      expect(gitDir(g.store.repoDir('acme'), 'rev-parse', 'refs/heads/main').trim()).to.equal(before);
      const v = await g.store.site('acme').doc('page', 'x').save({ content: { ok: true } });
      expect(v.number).to.equal(1);
    });

    it('refuses a push with files under a document path (a directory named like a document), naming it', async () => {
      await run(g.work, ['clone', '-q', g.remote('acme', g.keys.editor), 'c']);
      const c = join(g.work, 'c');
      await put(c, 'page/y/en.json/inner.json', '{}\n');
      await run(c, ['add', '-A']);
      await run(c, ['commit', '-qm', 'A directory named like a document'], GRACE);
      const pushed = await tryGit(c, ['push', 'origin', 'main']);
      expect(pushed.status).to.not.equal(0);
      expect(pushed.stderr).to.match(/page\/y\/en\.json \(commit [0-9a-f]+\): is a directory/);
    });

    it('a push succeeds after the holder of main.lock was SIGKILLed, with no save in between; pre-receive says it removed the lock', async () => {
      await run(g.work, ['clone', '-q', g.remote('acme', g.keys.editor), 'c']);
      const c = join(g.work, 'c');
      const holder = startScript('test/helpers/scripts/refLockHolder.ts', [g.store.repoDir('acme'), 'refs/heads/main']);
      await holder.firstMessage;
      await holder.kill();
      expect(existsSync(join(g.store.repoDir('acme'), 'refs/heads/main.lock'))).to.equal(true);
      await put(c, 'page/home/en.json', '{"title":"pushed past a dead lock"}\n');
      await run(c, ['commit', '-qam', 'Past the dead lock'], GRACE);
      const pushed = await tryGit(c, ['push', 'origin', 'main']);
      expect(pushed.status, pushed.stderr).to.equal(0);
      expect(pushed.stderr).to.include('removed a stale lock on refs/heads/main');
      expect((await g.store.site('acme').doc('page', 'home').log()).items[0]).to.include({ number: 2, message: 'Past the dead lock' });
    });

    for (const path of ['/git/acme.git//info/refs?service=git-upload-pack', '/git/acme.git/./info/refs?service=git-upload-pack', '/git/acme.git/objects/../info/refs?service=git-upload-pack', '/git/acme.git/objects/%2e%2e/HEAD', '/git/acme.git/info/refs/..']) {
      it(`answers 400 to a viewer's fetch of ${path}`, async () => {
        const res = await rawGet(g.url, path, g.keys.viewer);
        expect(res.status, res.body).to.equal(400);
        expect(res.body).to.match(/segment/);
      });
    }

    it('still serves the normal paths to a viewer', async () => {
      const res = await rawGet(g.url, '/git/acme.git/info/refs?service=git-upload-pack', g.keys.viewer);
      expect(res.status).to.equal(200);
      expect((await rawGet(g.url, '/git/acme.git/HEAD', g.keys.viewer)).status).to.equal(200);
    });
  });
}

function mktree(cwd: string, entries: string): string {
  return execFileSync('git', ['mktree'], { cwd, input: entries, encoding: 'utf8' }).trim();
}
