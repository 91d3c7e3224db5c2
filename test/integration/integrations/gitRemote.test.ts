/**
 * The `git` kind against a real remote: a bare repository served by `git http-backend`
 * (test/helpers/gitRemoteServer.ts), checked with the real git CLI.
 */
import { expect } from 'chai';
import { AuthError, ConflictError, NotFoundError, ValidationError } from '../../../lib/errors/index.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { git } from '../../helpers/git.js';
import { startGitRemote, type GitRemoteServer } from '../../helpers/gitRemoteServer.js';

async function rejects<T>(p: Promise<unknown>, cls: new (...a: never[]) => T): Promise<T> {
  try {
    await p;
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(cls);
    return err as T;
  }
  throw new Error(`expected ${cls.name}`);
}

for (const target of databaseTargets()) {
  describe(`integrations: git kind against git http-backend (${target})`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let store: EmbeddedStore;
    let remote: GitRemoteServer;
    const prev = process.env.VERSO_ALLOW_PRIVATE_REMOTES;

    before(async () => {
      process.env.VERSO_ALLOW_PRIVATE_REMOTES = '1';
      db = await freshDatabase(target);
      store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
      remote = await startGitRemote({ seed: { 'README.md': '# shop\n' } });
      await store.site('acme').createIntegration({ name: 'wiki', kind: 'git', url: remote.url, username: remote.username, token: remote.token, pathTemplate: 'docs/{type}/{key}.{ext}' });
    });
    after(async () => {
      await store?.close();
      await remote?.stop();
      await db?.cleanup();
      if (prev === undefined) delete process.env.VERSO_ALLOW_PRIVATE_REMOTES;
      else process.env.VERSO_ALLOW_PRIVATE_REMOTES = prev;
    });

    it('pushes the published version as one commit at the template path with the same blob id', async () => {
      const doc = store.site('acme').doc('prd', 'checkout');
      const v1 = await doc.save({ content: '# Checkout\n\nOne page.\n', format: 'markdown', author: { name: 'Pat PM', email: 'pat@example.com' }, message: 'First cut' });
      await doc.publish(v1.number);
      const before = git(remote.bare, ['rev-parse', 'refs/heads/main']).trim();
      const m = await doc.push('wiki');
      expect(m).to.include({ integration: 'wiki', doc: 'prd/checkout/en', path: 'docs/prd/checkout.md', versionNumber: 1, localCommit: v1.commit, blob: v1.blob, remoteBlob: v1.blob, status: 'in_sync' });
      const head = git(remote.bare, ['rev-parse', 'refs/heads/main']).trim();
      expect(m.remoteCommit).to.equal(head);
      expect(git(remote.bare, ['rev-parse', `${head}:docs/prd/checkout.md`]).trim()).to.equal(v1.blob);
      expect(git(remote.bare, ['rev-parse', `${head}^`]).trim()).to.equal(before);
      expect(git(remote.bare, ['show', '-s', '--format=%an <%ae>%n%B', head])).to.match(/^Pat PM <pat@example.com>\nFirst cut\n\nVerso-Source-Doc: prd\/checkout\/en\nVerso-Source-Version: 1\nVerso-Source-Commit: [0-9a-f]{40}/);
      expect(git(remote.bare, ['fsck', '--strict', '--no-dangling'])).to.equal('');
      const events = (await store.site('acme').events({ limit: 100 })).items.filter((e) => e.action === 'integration.push');
      expect(events).to.have.length(1);
      expect(await doc.mappings()).to.deep.equal([m]);
    });

    it('sees a commit made directly in the remote as remote_changed, refuses a push over it, and pulls it as a version', async () => {
      const doc = store.site('acme').doc('prd', 'checkout');
      const edited = '# Checkout\n\nOne page, with Apple Pay.\n';
      const commit = remote.commitDirectly('main', { 'docs/prd/checkout.md': edited }, 'Add Apple Pay', { name: 'Eve Engineer', email: 'eve@example.com' });
      const [checked] = await store.site('acme').checkIntegration('wiki');
      const remoteBlob = git(remote.bare, ['rev-parse', `${commit}:docs/prd/checkout.md`]).trim();
      expect(checked).to.include({ status: 'remote_changed', remoteBlob });
      await doc.save({ content: '# Checkout\n\nTwo pages.\n', format: 'markdown', message: 'local edit' }).then(() => undefined);
      const refused = await rejects(doc.push('wiki', { ref: 'draft' }), ConflictError);
      expect(refused.data).to.include({ path: 'docs/prd/checkout.md', remoteBlob });
      expect(refused.data.expectedBlob).to.be.a('string');
      expect(git(remote.bare, ['rev-parse', 'refs/heads/main']).trim()).to.equal(commit);
      // Both moved: pull names both sides.
      const both = await rejects(doc.pull('wiki'), ConflictError);
      expect(both.data).to.have.keys('path', 'local', 'remote');
      // Back to the pushed content locally (a rollback), then only the remote moved.
      await doc.rollback(1);
      const pulled = await doc.pull('wiki');
      expect(pulled).to.include({ source: 'integration', number: 4 });
      expect(pulled.author).to.deep.equal({ name: 'Eve Engineer', email: 'eve@example.com' });
      expect(pulled.blob).to.equal(remoteBlob);
      expect((await doc.show(pulled.number)).content).to.equal(edited);
      const [m] = await doc.mappings();
      expect(m).to.include({ status: 'in_sync', versionNumber: 4, blob: remoteBlob, remoteCommit: commit });
      expect((await store.site('acme').events({ limit: 100 })).items.map((e) => e.action)).to.include('integration.pull');
    });

    it("credits a pulled version to the last commit that changed the file, not to the head's author", async () => {
      const doc = store.site('acme').doc('prd', 'returns');
      await doc.save({ content: '# Returns\n', format: 'markdown' });
      await doc.push('wiki', { ref: 'draft' });
      const edit = remote.commitDirectly('main', { 'docs/prd/returns.md': '# Returns\n\n30 days.\n' }, 'Return window', { name: 'Eve Engineer', email: 'eve@example.com' });
      // Later commits by someone else leave the file as Eve left it.
      for (let i = 0; i < 3; i++) remote.commitDirectly('main', { [`notes/${i}.md`]: `note ${i}\n` }, `Note ${i}`, { name: 'Bob Builder', email: 'bob@example.com' });
      expect(git(remote.bare, ['log', '-1', '--format=%an', 'refs/heads/main']).trim()).to.equal('Bob Builder');
      const pulled = await doc.pull('wiki');
      expect(pulled.author).to.deep.equal({ name: 'Eve Engineer', email: 'eve@example.com' });
      expect(pulled.blob).to.equal(git(remote.bare, ['rev-parse', `${edit}:docs/prd/returns.md`]).trim());
    });

    it('retries a push when the remote moves between its fetch and its push, losing neither commit', async () => {
      const doc = store.site('acme').doc('prd', 'payments');
      const v = await doc.save({ content: '# Payments\n', format: 'markdown' });
      let other = '';
      remote.beforePush = async () => {
        other = remote.commitDirectly('main', { 'CHANGELOG.md': 'concurrent\n' }, 'Concurrent push');
      };
      const pushesBefore = remote.pushes;
      const m = await doc.push('wiki');
      expect(other).to.match(/^[0-9a-f]{40}$/);
      const head = git(remote.bare, ['rev-parse', 'refs/heads/main']).trim();
      expect(m.remoteCommit).to.equal(head);
      expect(git(remote.bare, ['rev-parse', `${head}^`]).trim()).to.equal(other);
      expect(git(remote.bare, ['rev-parse', `${head}:docs/prd/payments.md`]).trim()).to.equal(v.blob);
      expect(git(remote.bare, ['rev-parse', `${head}:CHANGELOG.md`]).trim()).to.equal(git(remote.bare, ['rev-parse', `${other}:CHANGELOG.md`]).trim());
      expect(remote.pushes - pushesBefore).to.equal(1);
    });

    it('retries when the remote answers "ng" because the branch moved after it advertised the refs', async () => {
      const doc = store.site('acme').doc('prd', 'shipping');
      const v = await doc.save({ content: '# Shipping\n', format: 'markdown' });
      let other = '';
      remote.beforeReceive = async () => {
        other = remote.commitDirectly('main', { 'CHANGELOG.md': 'moved under the push\n' }, 'Racing push');
      };
      const pushesBefore = remote.pushes;
      const m = await doc.push('wiki');
      expect(other).to.match(/^[0-9a-f]{40}$/);
      // The first pack was answered "ng" (the old value no longer matched); the second landed on top.
      expect(remote.pushes - pushesBefore).to.equal(2);
      const head = git(remote.bare, ['rev-parse', 'refs/heads/main']).trim();
      expect(m.remoteCommit).to.equal(head);
      expect(git(remote.bare, ['rev-parse', `${head}^`]).trim()).to.equal(other);
      expect(git(remote.bare, ['rev-parse', `${head}:docs/prd/shipping.md`]).trim()).to.equal(v.blob);
    });

    it('refuses bad input before anything is written', async () => {
      const site = store.site('acme');
      await rejects(site.doc('prd', 'checkout').push('nope'), NotFoundError);
      await rejects(site.checkIntegration('nope'), NotFoundError);
      for (const pathTemplate of ['../{key}.md', '/etc/{key}', 'docs/../../{key}', 'a//{key}', '{key}/{nope}']) {
        await rejects(site.createIntegration({ name: 'bad', kind: 'git', url: remote.url, pathTemplate }), ValidationError);
      }
      await rejects(site.createIntegration({ name: 'bad', kind: 'git', url: 'ftp://example.com/x.git' }), ValidationError);
      await rejects(site.createIntegration({ name: 'bad', kind: 'git', url: remote.url, extra: 1 } as never), ValidationError);
      delete process.env.VERSO_ALLOW_PRIVATE_REMOTES;
      try {
        for (const url of [remote.url, 'http://10.1.2.3/x.git', 'http://169.254.169.254/latest', 'http://[::1]/x.git', 'http://192.168.1.1/x.git']) {
          const err = await rejects(site.createIntegration({ name: 'private', kind: 'git', url }), ValidationError);
          expect(err.message).to.match(/private network|loopback/);
        }
        // An integration made while allowed is refused at use once the switch is off.
        await rejects(site.doc('prd', 'checkout').push('wiki'), ValidationError);
      } finally {
        process.env.VERSO_ALLOW_PRIVATE_REMOTES = '1';
      }
      expect((await site.integrations()).map((i) => i.name)).to.deep.equal(['wiki']);
    });

    it('reports a wrong token as unauthorized from the remote and maps nothing', async () => {
      const site = store.site('acme');
      await site.createIntegration({ name: 'wrong', kind: 'git', url: remote.url, username: 'bot', token: 'not-the-token' });
      const doc = site.doc('prd', 'refunds');
      await doc.save({ content: '# Refunds\n', format: 'markdown' });
      const head = git(remote.bare, ['rev-parse', 'refs/heads/main']).trim();
      const err = await rejects(doc.push('wrong'), AuthError);
      expect(err.code).to.equal('unauthorized');
      expect(err.data.remoteStatus).to.equal(401);
      expect(JSON.stringify(err.toJSON())).to.not.include('not-the-token');
      expect(await doc.mappings()).to.deep.equal([]);
      expect(git(remote.bare, ['rev-parse', 'refs/heads/main']).trim()).to.equal(head);
    });
  });
}
