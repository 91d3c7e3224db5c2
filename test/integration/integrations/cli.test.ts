/**
 * The CLI for integrations, as a user runs it (a child process per command, embedded store in
 * a data dir): add with the token from the environment, list, push, mappings, check with
 * progress on stderr, pull, remove. The token never appears in any output.
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { git } from '../../helpers/git.js';
import { startGitRemote, type GitRemoteServer } from '../../helpers/gitRemoteServer.js';
import { verso } from '../cli/harness.js';

for (const target of databaseTargets()) {
  describe(`verso integration, push, pull, mappings (${target})`, function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let remote: GitRemoteServer;
    let input: string;
    const env = (): Record<string, string> => ({ VERSO_DATA_DIR: db.dataDir, ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}), VERSO_ALLOW_PRIVATE_REMOTES: '1' });
    const run = async (args: string[], extra: Record<string, string> = {}) => {
      const r = await verso(args, { env: { ...env(), ...extra } });
      expect(r.stdout + r.stderr).to.not.include(remote.token);
      return r;
    };

    before(async () => {
      db = await freshDatabase(target);
      remote = await startGitRemote({ seed: { 'README.md': '# docs\n' } });
      input = await mkdtemp(join(tmpdir(), 'integrations-cli-'));
      expect((await run(['site', 'create', 'acme', '--name', 'Acme'])).code).to.equal(0);
    });
    after(async () => {
      await remote?.stop();
      await db?.cleanup();
      await rm(input, { recursive: true, force: true });
    });

    it('adds, lists, pushes, checks, pulls and removes', async () => {
      const add = await run(['integration', 'add', 'acme', 'wiki', '--kind', 'git', '--url', remote.url, '--username', 'bot', '--path', 'docs/{key}.md', '--json'], { VERSO_INTEGRATION_TOKEN: remote.token });
      expect(add.code, add.stderr).to.equal(0);
      expect(JSON.parse(add.stdout)).to.include({ name: 'wiki', hasToken: true });
      const list = await run(['integration', 'list', 'acme', '--json']);
      expect(JSON.parse(list.stdout).items.map((i: { name: string }) => i.name)).to.deep.equal(['wiki']);
      expect((await verso(['save', 'acme', 'prd/checkout', '--format', 'markdown', '-m', 'First'], { env: env(), input: '# Checkout\n' })).code).to.equal(0);
      const push = await run(['push', 'acme', 'prd/checkout', '--to', 'wiki', '--json']);
      expect(push.code, push.stderr).to.equal(0);
      const m = JSON.parse(push.stdout);
      expect(git(remote.bare, ['rev-parse', 'main:docs/checkout.md']).trim()).to.equal(m.blob);
      remote.commitDirectly('main', { 'docs/checkout.md': '# Checkout\n\nFrom the repo.\n' }, 'Repo edit');
      const check = await run(['integration', 'check', 'acme', 'wiki']);
      expect(check.code, check.stderr).to.equal(0);
      expect(check.stdout).to.match(/prd\/checkout\/en .*remote_changed/);
      expect(check.stderr).to.include('check: 1/1 documents');
      const pull = await run(['pull', 'acme', 'prd/checkout', '--from', 'wiki', '--json']);
      expect(pull.code, pull.stderr).to.equal(0);
      expect(JSON.parse(pull.stdout)).to.include({ number: 2, source: 'integration' });
      const mappings = await run(['mappings', 'acme', 'prd/checkout', '--json']);
      expect(JSON.parse(mappings.stdout).items[0]).to.include({ status: 'in_sync', versionNumber: 2 });
      const missing = await run(['push', 'acme', 'prd/checkout', '--to', 'nope']);
      expect(missing.code).to.not.equal(0);
      expect(missing.stderr).to.match(/no integration nope/);
      expect((await run(['integration', 'remove', 'acme', 'wiki'])).code).to.equal(0);
      expect(JSON.parse((await run(['integration', 'list', 'acme', '--json'])).stdout).items).to.deep.equal([]);
    });
  });
}
