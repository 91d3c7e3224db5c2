/**
 * A push through the gateway is checked in the gateway's own (warm) process: the pre-receive
 * shim runs the plain-JavaScript client, which hands the push over the local channel the
 * gateway names in git's environment (gateway/git/hookChannel.ts), instead of starting Node,
 * tsx and verso's modules per push (~0.4 s of the push on this machine). Same refusals, same
 * messages; the channel answers only its own secret, for this store's site repositories.
 */
import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { openHookChannel, SECRET_HEADER, type HookChannel } from '../../../gateway/git/hookChannel.js';
import { databaseTargets } from '../../helpers/databases.js';
import { git as gitDir } from '../../helpers/gitCli.js';
import { GRACE, put, run, startGitGateway, tryGit, type GitGateway } from './harness.js';

function ask(channel: HookChannel, body: unknown, secret = channel.env.VERSO_HOOK_SECRET!): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: channel.env.VERSO_HOOK_CHANNEL, path: '/pre-receive', method: 'POST', headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret } }, (res) => {
      let out = '';
      res.on('data', (d: Buffer) => (out += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(out) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

for (const target of databaseTargets()) {
  describe(`pre-receive through the gateway's hook channel on ${target}`, function () {
    this.timeout(120_000);
    let g: GitGateway;

    beforeEach(async () => {
      g = await startGitGateway(target);
      await g.store.site('acme').doc('page', 'home').save({ content: { title: 'Home' } });
    });
    afterEach(async () => g.stop());

    it('a gateway push never starts the full hook program, and is refused or accepted as before', async () => {
      await run(g.work, ['clone', '-q', g.remote('acme', g.keys.editor), 'c']);
      const c = join(g.work, 'c');
      await put(c, 'page/home/en.json', '{"title":"Home, pushed"}\n');
      await run(c, ['commit', '-qam', 'First push'], GRACE);
      // The first push installs the hooks; from then on the full program would announce itself.
      await run(c, ['push', '-q', 'origin', 'main']);
      const shimPath = join(g.store.repoDir('acme'), 'hooks', 'pre-receive');
      const shim = await readFile(shimPath, 'utf8');
      expect(shim).to.include('VERSO_HOOK_CHANNEL').and.include('preReceiveClient.mjs');
      await writeFile(shimPath, shim.replace(/^exec .*main\.(ts|js)' pre-receive.*$/m, 'echo "the full pre-receive program ran" >&2; exit 1'));

      await put(c, 'notes.txt', 'not a document\n');
      await run(c, ['add', '-A']);
      await run(c, ['commit', '-qm', 'Stray file'], GRACE);
      const refused = await tryGit(c, ['push', 'origin', 'main']);
      expect(refused.status).to.not.equal(0);
      expect(refused.stderr).to.include('verso refused this push; no branch was updated').and.include('notes.txt').and.include('outside the document layout');
      expect(refused.stderr).to.not.include('the full pre-receive program ran');

      await run(c, ['reset', '-q', '--hard', 'origin/main']);
      await put(c, 'page/home/en.json', '{"title":"Home, pushed again"}\n');
      await run(c, ['commit', '-qam', 'Second push'], GRACE);
      const pushed = await tryGit(c, ['push', 'origin', 'main']);
      expect(pushed.status, pushed.stderr).to.equal(0);
      expect(pushed.stderr).to.not.include('the full pre-receive program ran');
      const log = await g.store.site('acme').doc('page', 'home').log();
      expect(log.items[0]).to.deep.include({ source: 'git', message: 'Second push' });
    });

    it('the channel answers only its secret, only for a site repository of its store; quarantine paths outside it are dropped', async () => {
      const repo = g.store.repoDir('acme');
      const channel = await openHookChannel({ repoDir: (s) => g.store.repoDir(s) });
      try {
        const input = `${'0'.repeat(40)} ${'1'.repeat(40)} refs/heads/main\n`;
        const body = { input, gitDir: repo, env: {}, locales: ['en'], maxBytes: 1024 };
        expect((await ask(channel, body, '')).status).to.equal(401);
        expect((await ask(channel, body, 'f'.repeat(64))).status).to.equal(401);
        expect((await ask(channel, { ...body, gitDir: g.work })).status).to.equal(400);
        expect((await ask(channel, { ...body, gitDir: join(g.work, '..', 'other.git') })).status).to.equal(400);
        // A real site repository and a commit that does not exist: the check runs and refuses.
        const checked = await ask(channel, body);
        expect(checked.status).to.equal(200);
        expect(checked.body.code).to.equal(1);
        expect(String(checked.body.text)).to.include('verso refused this push: the check failed');
        // An object directory outside the repository is not passed to git: were it, git would
        // find no objects there and the check would fail; dropped, a new branch at main's head
        // (nothing new to check) is accepted.
        const head = gitDir(repo, 'rev-parse', 'refs/heads/main').trim();
        const branch = await ask(channel, { ...body, input: `${'0'.repeat(40)} ${head} refs/heads/feature\n`, env: { GIT_OBJECT_DIRECTORY: g.work, GIT_QUARANTINE_PATH: g.work } });
        expect(branch.body, JSON.stringify(branch.body)).to.deep.equal({ code: 0, text: '' });
      } finally {
        channel.close();
      }
    });

    it('a local push that names a channel nobody answers is refused, not let through unchecked', async () => {
      const repo = g.store.repoDir('acme');
      // Make sure the hooks are installed (the gateway does it in the background at start).
      await run(g.work, ['clone', '-q', g.remote('acme', g.keys.editor), 'warm']);
      await put(join(g.work, 'warm'), 'page/home/en.json', '{"title":"Warm"}\n');
      await run(join(g.work, 'warm'), ['commit', '-qam', 'Warm'], GRACE);
      await run(join(g.work, 'warm'), ['push', '-q', 'origin', 'main']);
      await run(g.work, ['clone', '-q', repo, 'local']);
      const c = join(g.work, 'local');
      await put(c, 'page/home/en.json', '{"title":"Local"}\n');
      await run(c, ['commit', '-qam', 'Local push'], GRACE);
      const r = await tryGit(c, ['push', 'origin', 'main'], { VERSO_HOOK_CHANNEL: join(g.work, 'nobody.sock'), VERSO_HOOK_SECRET: 'x' });
      expect(r.status).to.not.equal(0);
      expect(r.stderr).to.include("the gateway's hook channel did not answer");
    });
  });
}
