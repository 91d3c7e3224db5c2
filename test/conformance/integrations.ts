/**
 * Conformance section for integrations: the same SDK calls, the same answers and the same
 * error classes on every store (embedded on PGlite and PostgreSQL, remote over the gateway),
 * against a real Git remote served by `git http-backend`.
 */
import { expect } from 'chai';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors/index.js';
import type { Store } from '../../lib/types.js';
import { git } from '../helpers/git.js';
import { startGitRemote, type GitRemoteServer } from '../helpers/gitRemoteServer.js';

async function rejects<T>(p: Promise<unknown>, cls: new (...a: never[]) => T): Promise<T> {
  try {
    await p;
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(cls);
    return err as T;
  }
  throw new Error(`expected a ${cls.name}, but the call succeeded`);
}

export function integrationSection(store: () => Store, site: string): void {
  describe('integrations', () => {
    let remote: GitRemoteServer;
    let prev: string | undefined;
    before(async () => {
      prev = process.env.VERSO_ALLOW_PRIVATE_REMOTES;
      process.env.VERSO_ALLOW_PRIVATE_REMOTES = '1';
      remote = await startGitRemote({ seed: { 'README.md': '# docs\n' } });
    });
    after(async () => {
      await remote?.stop();
      if (prev === undefined) delete process.env.VERSO_ALLOW_PRIVATE_REMOTES;
      else process.env.VERSO_ALLOW_PRIVATE_REMOTES = prev;
    });

    it('creates, lists and deletes integrations without ever returning the token', async () => {
      const s = store().site(site);
      const created = await s.createIntegration({ name: 'docs-repo', kind: 'git', url: remote.url, username: remote.username, token: remote.token, pathTemplate: 'prd/{key}.{ext}' });
      expect(created).to.include({ name: 'docs-repo', kind: 'git', url: remote.url, pathTemplate: 'prd/{key}.{ext}', pullRequests: false, hasToken: true });
      expect(JSON.stringify(created)).to.not.include(remote.token);
      expect((await s.integrations()).map((i) => i.name)).to.include('docs-repo');
      await rejects(s.createIntegration({ name: 'docs-repo', kind: 'git', url: remote.url }), ConflictError);
      await s.createIntegration({ name: 'scratch', kind: 'git', url: remote.url });
      await s.deleteIntegration('scratch');
      await rejects(s.deleteIntegration('scratch'), NotFoundError);
    });

    it('pushes, reports mappings, checks and pulls alike', async () => {
      const doc = store().site(site).doc('prd', 'conformance');
      const v = await doc.save({ content: '# Conformance\n', format: 'markdown', message: 'First' });
      const m = await doc.push('docs-repo');
      expect(m).to.include({ integration: 'docs-repo', doc: 'prd/conformance/en', path: 'prd/conformance.md', versionNumber: v.number, blob: v.blob, remoteBlob: v.blob, status: 'in_sync' });
      expect(git(remote.bare, ['rev-parse', `${m.remoteCommit}:prd/conformance.md`]).trim()).to.equal(v.blob);
      expect(await doc.mappings()).to.deep.equal([m]);
      remote.commitDirectly('main', { 'prd/conformance.md': '# Conformance\n\nEdited remotely.\n' }, 'Remote edit');
      const checked = await store().site(site).checkIntegration('docs-repo');
      expect(checked.find((x) => x.doc === 'prd/conformance/en')?.status).to.equal('remote_changed');
      const pulled = await doc.pull('docs-repo');
      expect(pulled).to.include({ source: 'integration', number: v.number + 1 });
      expect((await doc.show(pulled.number)).content).to.equal('# Conformance\n\nEdited remotely.\n');
      expect((await doc.mappings())[0]!.status).to.equal('in_sync');
    });

    it('refuses bad input with the same errors', async () => {
      const s = store().site(site);
      await rejects(s.doc('prd', 'conformance').push('no-such'), NotFoundError);
      await rejects(s.doc('prd', 'conformance').pull('no-such'), NotFoundError);
      await rejects(s.checkIntegration('no-such'), NotFoundError);
      await rejects(s.createIntegration({ name: 'bad', kind: 'git', url: remote.url, pathTemplate: '../{key}.md' }), ValidationError);
      await rejects(s.createIntegration({ name: 'bad', kind: 'git', url: remote.url, pathTemplate: '/abs/{key}.md' }), ValidationError);
      await rejects(s.createIntegration({ name: 'bad', kind: 'github' }), ValidationError);
      await rejects(s.createIntegration({ name: 'Bad Name', kind: 'git', url: remote.url }), ValidationError);
      await rejects(s.createIntegration({ name: 'bad', kind: 'git', url: remote.url, surprise: true } as never), ValidationError);
      await rejects(s.doc('prd', 'conformance').push('docs-repo', { unknown: 1 } as never), ValidationError);
      expect((await s.integrations()).map((i) => i.name)).to.not.include('bad');
    });
  });
}
