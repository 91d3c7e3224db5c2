/**
 * Integrations over HTTP: who may configure and push, secrets that never come back or reach a
 * log, the key file, and the signed GitHub webhook marking drift at once.
 */
import { expect } from 'chai';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Webhooks } from '@octokit/webhooks';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../../gateway/serve.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { startFakeGithub, type FakeGithub } from '../../helpers/fakeGithub.js';
import { call } from '../gateway/harness.js';
import { startGitRemote, type GitRemoteServer } from '../../helpers/gitRemoteServer.js';
import { git } from '../../helpers/git.js';

const TOKEN = 'glpat-SECRET-token-value-42';

/** Every file under `dir` as one string (a backup: its table dump and manifest). */
async function collect(dir: string): Promise<string> {
  let text = '';
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) text += await readFile(join(e.parentPath, e.name), 'utf8');
  }
  return text;
}
const HOOK_SECRET = 'whsec-SECRET-hook-value-42';

for (const target of databaseTargets()) {
  describe(`integrations over HTTP: access, secrets, GitHub webhook (${target})`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let store: EmbeddedStore;
    let server: RunningServer;
    let remote: GitRemoteServer;
    let gh: FakeGithub;
    let admin: string;
    let editor: string;
    const logs: string[] = [];
    const storeLogs: string[] = [];
    const saved = { ...process.env };
    const api = (method: string, path: string, key: string | undefined, body?: unknown) => call(server.url, method, path, { ...(key ? { key } : {}), ...(body === undefined ? {} : { body }) });

    before(async () => {
      process.env.VERSO_ALLOW_PRIVATE_REMOTES = '1';
      delete process.env.VERSO_SECRET_KEY;
      db = await freshDatabase(target);
      const log = (level: string) => (d: object, msg: string) => void storeLogs.push(`${level} ${msg} ${JSON.stringify(d)}`);
      store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl, logger: { info: log('info'), warn: log('warn') } });
      const stream = new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) });
      server = await startServer({ store, port: 0, logger: pino({ level: 'debug' }, stream), rateLimit: false });
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
      admin = (await store.createKey({ role: 'admin' })).key;
      editor = (await store.createKey({ role: 'editor', site: 'acme' })).key;
      remote = await startGitRemote({ token: TOKEN });
      gh = await startFakeGithub({ token: TOKEN });
    });
    after(async () => {
      await server?.close();
      await store?.close();
      await remote?.stop();
      await gh?.stop();
      await db?.cleanup();
      process.env = saved;
    });

    it('lets admin keys configure and editor keys push; never returns or logs a token', async () => {
      const body = { name: 'wiki', kind: 'git', url: remote.url, username: 'bot', token: TOKEN };
      expect((await api('POST', '/v1/sites/acme/integrations', editor, body)).status).to.equal(403);
      const created = await api('POST', '/v1/sites/acme/integrations', admin, body);
      expect(created.status, created.text).to.equal(201);
      expect(created.body).to.include({ name: 'wiki', hasToken: true, hasWebhookSecret: false });
      const list = await api('GET', '/v1/sites/acme/integrations', editor);
      expect(list.body.items).to.have.length(1);
      await store.site('acme').doc('prd', 'a').save({ content: '# A\n', format: 'markdown' });
      const pushed = await api('POST', '/v1/sites/acme/docs/prd/a/en/push', editor, { integration: 'wiki' });
      expect(pushed.status, pushed.text).to.equal(200);
      expect(pushed.body.status).to.equal('in_sync');
      const mappings = await api('GET', '/v1/sites/acme/docs/prd/a/en/mappings', editor);
      expect(mappings.body.items[0]).to.include({ integration: 'wiki', path: 'prd/a/en.md' });
      const wrong = await api('POST', '/v1/sites/acme/integrations', admin, { ...body, name: 'wrong', token: `${TOKEN}-x` });
      expect(wrong.status).to.equal(201);
      const refused = await api('POST', '/v1/sites/acme/docs/prd/a/en/push', editor, { integration: 'wrong' });
      expect(refused.status).to.equal(401);
      expect(refused.body.error.details.remoteStatus).to.equal(401);
      // Rotating the token (admin only) makes the same push work; the answer shows no secret.
      expect((await api('PATCH', '/v1/sites/acme/integrations/wrong', editor, { token: TOKEN })).status).to.equal(403);
      const rotated = await api('PATCH', '/v1/sites/acme/integrations/wrong', admin, { token: TOKEN });
      expect(rotated.status, rotated.text).to.equal(200);
      expect(rotated.body).to.include({ name: 'wrong', hasToken: true });
      expect((await api('POST', '/v1/sites/acme/docs/prd/a/en/push', editor, { integration: 'wrong' })).status).to.equal(200);
      for (const text of [created.text, list.text, pushed.text, mappings.text, refused.text, rotated.text, logs.join(''), storeLogs.join('')]) expect(text).to.not.include(TOKEN);
    });

    it('keeps secrets encrypted with a generated 0600 key file, announced once', async () => {
      const file = join(db.dataDir, 'secret.key');
      expect((await stat(file)).mode & 0o777).to.equal(0o600);
      expect(storeLogs.filter((l) => l.includes('generated a key'))).to.have.length(1);
      expect(storeLogs.join('')).to.not.include((await import('node:fs')).readFileSync(file, 'utf8').trim());
    });

    it('stores tokens and webhook secrets only as ciphertext: a backup of every row holds neither', async () => {
      expect((await store.site('acme').integrations()).some((i) => i.hasToken)).to.equal(true);
      const out = join(db.dataDir, 'backup-check');
      await store.backup({ out });
      const dump = await collect(out);
      expect(dump).to.include('integrations');
      // bytea columns are dumped as hex: a plaintext secret would show as its own hex too.
      expect(dump).to.match(/\\x[0-9a-f]{56,}/);
      for (const secret of [TOKEN, HOOK_SECRET]) {
        expect(dump).to.not.include(secret);
        expect(dump).to.not.include(Buffer.from(secret).toString('hex'));
        expect(dump).to.not.include(Buffer.from(secret).toString('base64'));
      }
    });

    it('verifies a GitHub push webhook and marks the touched mappings remote_changed at once', async () => {
      const created = await api('POST', '/v1/sites/acme/integrations', admin, { name: 'gh', kind: 'github', repository: 'acme/shop', baseUrl: gh.baseUrl, branch: 'main', token: TOKEN, webhookSecret: HOOK_SECRET });
      expect(created.body).to.include({ hasWebhookSecret: true });
      await store.site('acme').doc('prd', 'b').save({ content: '# B\n', format: 'markdown' });
      expect((await api('POST', '/v1/sites/acme/docs/prd/b/en/push', editor, { integration: 'gh' })).status).to.equal(200);
      // GitHub's delivery of verso's own push (its commit names the source document) is no drift.
      const own = git(gh.bare, ['show', '-s', '--format=%B', 'refs/heads/main']);
      expect(own).to.include('Verso-Source-Doc: prd/b/en');
      const ownPayload = JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'acme/shop' }, commits: [{ message: own, added: [], modified: ['prd/b/en.md'], removed: [] }] });
      const ownPost = await call(server.url, 'POST', '/v1/integrations/github/webhook', { raw: ownPayload, headers: { 'x-github-event': 'push', 'x-hub-signature-256': await new Webhooks({ secret: HOOK_SECRET }).sign(ownPayload) } });
      expect(ownPost.body).to.deep.equal({ integrations: 1, marked: 0 });
      expect((await store.site('acme').doc('prd', 'b').mappings())[0]!.status).to.equal('in_sync');
      const payload = JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'acme/shop' }, commits: [{ message: 'Edit on GitHub', added: [], modified: ['prd/b/en.md'], removed: [] }] });
      const post = (signature: string) => call(server.url, 'POST', '/v1/integrations/github/webhook', { raw: payload, headers: { 'x-github-event': 'push', 'x-hub-signature-256': signature } });
      const forged = await post(await new Webhooks({ secret: 'not-the-secret' }).sign(payload));
      expect(forged.status).to.equal(401);
      expect((await store.site('acme').doc('prd', 'b').mappings())[0]!.status).to.equal('in_sync');
      const ok = await post(await new Webhooks({ secret: HOOK_SECRET }).sign(payload));
      expect(ok.status, ok.text).to.equal(200);
      expect(ok.body).to.deep.equal({ integrations: 1, marked: 1 });
      expect((await store.site('acme').doc('prd', 'b').mappings())[0]!.status).to.equal('remote_changed');
      expect(logs.join('') + storeLogs.join('')).to.not.include(HOOK_SECRET);
    });
  });
}
