/**
 * The `github` kind against a local GitHub (test/helpers/fakeGithub.ts) that checks every
 * request and answer against GitHub's OpenAPI description, over a real bare repository.
 */
import { expect } from 'chai';
import { AuthError, ConflictError } from '../../../lib/errors/index.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { startFakeGithub, type FakeGithub } from '../../helpers/fakeGithub.js';
import { git } from '../../helpers/git.js';

for (const target of databaseTargets()) {
  describe(`integrations: github kind against an OpenAPI-checked GitHub (${target})`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let store: EmbeddedStore;
    let gh: FakeGithub;
    const warnings: Array<Record<string, unknown>> = [];
    const saved = { ...process.env };

    before(async () => {
      process.env.VERSO_ALLOW_PRIVATE_REMOTES = '1';
      process.env.VERSO_GITHUB_RETRY_BASE_MS = '5';
      gh = await startFakeGithub();
      db = await freshDatabase(target);
      store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl, logger: { info: () => undefined, warn: (d) => void warnings.push(d as Record<string, unknown>) } });
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
      await store.site('acme').createIntegration({ name: 'shop', kind: 'github', repository: 'acme/shop', baseUrl: gh.baseUrl, branch: 'main', pathTemplate: 'docs/prd/{key}.md', token: gh.token });
    });
    after(async () => {
      await store?.close();
      await gh?.stop();
      await db?.cleanup();
      process.env = saved;
    });
    afterEach(() => expect(gh.violations, gh.violations.join('\n')).to.deep.equal([]));

    it('pushes through the Git Data API: one commit whose blob id is the version\'s', async () => {
      const doc = store.site('acme').doc('prd', 'checkout-redesign');
      const v = await doc.save({ content: '# Checkout redesign\n', format: 'markdown', author: { name: 'Pat', email: 'pat@example.com' }, message: 'Draft' });
      const m = await doc.push('shop');
      expect(m).to.include({ path: 'docs/prd/checkout-redesign.md', blob: v.blob, remoteBlob: v.blob, status: 'in_sync', branch: 'main' });
      const head = git(gh.bare, ['rev-parse', 'refs/heads/main']).trim();
      expect(m.remoteCommit).to.equal(head);
      expect(git(gh.bare, ['rev-parse', `${head}:docs/prd/checkout-redesign.md`]).trim()).to.equal(v.blob);
      expect(git(gh.bare, ['rev-parse', `${head}:README.md`]).trim()).to.match(/^[0-9a-f]{40}$/);
      expect(git(gh.bare, ['show', '-s', '--format=%an|%cn|%B', head])).to.match(/^Pat\|verso\|Draft\n\nVerso-Source-Doc: prd\/checkout-redesign\/en\nVerso-Source-Version: 1\nVerso-Source-Commit: /);
    });

    it('detects a remote edit with one tree read, refuses a push over it, pulls it', async () => {
      const doc = store.site('acme').doc('prd', 'checkout-redesign');
      const head = git(gh.bare, ['rev-parse', 'refs/heads/main']).trim();
      const blob = git(gh.bare, ['hash-object', '-w', '--stdin'], { input: '# Checkout redesign\n\nEdited on GitHub.\n' }).trim();
      const index = { GIT_INDEX_FILE: `${gh.bare}/test-index` };
      git(gh.bare, ['read-tree', head], { env: index });
      git(gh.bare, ['update-index', '--cacheinfo', `100644,${blob},docs/prd/checkout-redesign.md`], { env: index });
      const tree = git(gh.bare, ['write-tree'], { env: index }).trim();
      const commit = git(gh.bare, ['commit-tree', tree, '-p', head, '-m', 'Edit on GitHub'], { env: { GIT_AUTHOR_NAME: 'Eve', GIT_AUTHOR_EMAIL: 'eve@example.com' } }).trim();
      git(gh.bare, ['update-ref', 'refs/heads/main', commit]);
      const before = gh.requests.length;
      const [m] = await store.site('acme').checkIntegration('shop');
      expect(m).to.include({ status: 'remote_changed', remoteBlob: blob });
      expect(gh.requests.slice(before).filter((r) => r.path.includes('/git/trees/'))).to.have.length(1);
      await doc.save({ content: '# Checkout redesign\n\nLocal.\n', format: 'markdown' });
      const err = await doc.push('shop', { ref: 'draft' }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ConflictError);
      expect((err as ConflictError).data).to.include({ remoteBlob: blob });
      await doc.rollback(1);
      const pulled = await doc.pull('shop');
      expect(pulled).to.include({ source: 'integration', blob });
      expect(pulled.author).to.deep.equal({ name: 'Eve', email: 'eve@example.com' });
    });

    it('retries a ref update refused with 422 because the branch moved, keeping the other commit', async () => {
      const doc = store.site('acme').doc('prd', 'moved');
      const v = await doc.save({ content: '# Moved\n', format: 'markdown' });
      let other = '';
      gh.beforeRefUpdate = () => {
        const head = git(gh.bare, ['rev-parse', 'refs/heads/main']).trim();
        other = git(gh.bare, ['commit-tree', `${head}^{tree}`, '-p', head, '-m', 'Someone else']).trim();
        git(gh.bare, ['update-ref', 'refs/heads/main', other, head]);
      };
      const before = gh.requests.length;
      const m = await doc.push('shop');
      const patches = gh.requests.slice(before).filter((r) => r.method === 'PATCH' && r.path.includes('/git/refs/'));
      expect(patches.map((r) => r.status)).to.deep.equal([422, 200]);
      const head = git(gh.bare, ['rev-parse', 'refs/heads/main']).trim();
      expect(m.remoteCommit).to.equal(head);
      expect(git(gh.bare, ['rev-parse', `${head}^`]).trim()).to.equal(other);
      expect(git(gh.bare, ['rev-parse', `${head}:docs/prd/moved.md`]).trim()).to.equal(v.blob);
    });

    it('opens one pull request per document on its own branch, then updates it', async () => {
      await store.site('acme').createIntegration({ name: 'prs', kind: 'github', repository: 'acme/shop', baseUrl: gh.baseUrl, branch: 'main', pullRequests: true, token: gh.token });
      const doc = store.site('acme').doc('prd', 'search');
      await doc.save({ content: '# Search\n', format: 'markdown' });
      const first = await doc.push('prs');
      expect(first.branch).to.equal('verso/prd/search/en');
      expect(first.pullRequest?.number).to.equal(1);
      await doc.save({ content: '# Search v2\n', format: 'markdown' });
      const second = await doc.push('prs', { ref: 'draft' });
      expect(second.pullRequest?.number).to.equal(1);
      expect(gh.pulls).to.have.length(1);
      expect(gh.pulls[0]!.title).to.equal('Search v2');
      expect(git(gh.bare, ['rev-parse', `refs/heads/verso/prd/search/en:prd/search/en.md`]).trim()).to.equal(second.blob);
    });

    it('waits out a primary (403, x-ratelimit-remaining: 0) and a secondary (429, retry-after) rate limit, then retries', async () => {
      const doc = store.site('acme').doc('prd', 'limits');
      await doc.save({ content: '# Limits\n', format: 'markdown' });
      gh.failNext.push('primary', 'secondary');
      warnings.length = 0;
      const before = gh.requests.length;
      const m = await doc.push('shop');
      expect(m.status).to.equal('in_sync');
      const limited = gh.requests.slice(before).filter((r) => r.status === 403 || r.status === 429).map((r) => r.status);
      expect(limited).to.deep.equal([403, 429]);
      expect(warnings.map((w) => w.kind)).to.deep.equal(['primary', 'secondary']);
      expect(warnings[1]!.retryAfter).to.equal(1);
    });

    it('reports a wrong token as unauthorized with the status kept and the token redacted, mapping nothing', async () => {
      await store.site('acme').createIntegration({ name: 'wrong', kind: 'github', repository: 'acme/shop', baseUrl: gh.baseUrl, token: 'ghp_wrongwrongwrong' });
      const doc = store.site('acme').doc('prd', 'wrong-token');
      await doc.save({ content: '# x\n', format: 'markdown' });
      const err = await doc.push('wrong').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(AuthError);
      expect((err as AuthError).data.remoteStatus).to.equal(401);
      expect(JSON.stringify((err as AuthError).toJSON()) + String((err as Error).stack)).to.not.include('ghp_wrongwrongwrong');
      expect(await doc.mappings()).to.deep.equal([]);
    });
  });
}

describe('integrations: the fake GitHub checks requests as the real API would', function () {
  this.timeout(60_000);
  it('refuses a tree without entries, a ref update without sha, and unknown query parameters', async () => {
    const { checkRequest, findOperation } = await import('../../helpers/githubOpenApi.js');
    const tree = findOperation('POST', '/repos/acme/shop/git/trees')!;
    expect(checkRequest(tree, new URLSearchParams(), { base_tree: 'abc' })).to.have.length(1);
    expect(checkRequest(tree, new URLSearchParams(), { tree: [{ path: 'a.md', mode: '100644', type: 'blob', sha: 'abc' }] })).to.deep.equal([]);
    const ref = findOperation('PATCH', '/repos/acme/shop/git/refs/heads/main')!;
    expect(ref.params.ref).to.equal('heads/main');
    expect(checkRequest(ref, new URLSearchParams(), { force: false })).to.have.length(1);
    const get = findOperation('GET', '/repos/acme/shop/git/ref/heads/main')!;
    expect(checkRequest(get, new URLSearchParams('bogus=1'), undefined)).to.deep.equal(['unknown query parameter bogus']);
    expect(findOperation('GET', '/repos/acme/shop/git/nonsense')).to.equal(undefined);
  });
});
