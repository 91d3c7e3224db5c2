/**
 * The `git` kind against another verso: site `shop` pushes to site `mirror` of the SAME running
 * gateway, over real HTTP into its Git smart HTTP (`/git/mirror.git`, git http-backend and the
 * mirror's pre-receive hook). The pushed commit must be indexed by the mirror as an ordinary
 * pushed commit (its trailers name the source, not a version of the mirror), and a push the
 * mirror's pre-receive declines must be reported as declined, not as a branch that moved.
 */
import { expect } from 'chai';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../../gateway/serve.js';
import { ConflictError, PushDeclinedError, ValidationError } from '../../../lib/errors/index.js';
import { connect } from '../../../lib/sdk/remote/index.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { git } from '../../helpers/git.js';

for (const target of databaseTargets()) {
  describe(`integrations: git kind into another verso site of the same gateway (${target})`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let store: EmbeddedStore;
    let server: RunningServer;
    let key: string;
    /** receive-pack POSTs the gateway answered: one per push attempt. */
    let pushes = 0;
    const prev = process.env.VERSO_ALLOW_PRIVATE_REMOTES;

    before(async () => {
      process.env.VERSO_ALLOW_PRIVATE_REMOTES = '1';
      db = await freshDatabase(target);
      store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      await store.createSite({ id: 'shop', name: 'Shop', locales: ['en'] });
      await store.createSite({ id: 'mirror', name: 'Mirror', locales: ['en'] });
      await store.site('mirror').doc('page', 'readme').save({ content: { title: 'Mirror' } });
      key = (await store.createKey({ role: 'admin', name: 'integration' })).key;
      server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
      server.server.on('request', (req) => void (req.method === 'POST' && req.url?.endsWith('/git-receive-pack') && pushes++));
      const url = `${server.url}/git/mirror.git`;
      await store.site('shop').createIntegration({ name: 'mirror', kind: 'git', url, branch: 'main', username: 'git', token: key });
      // The same remote, with a path outside the document layout the mirror's pre-receive enforces.
      await store.site('shop').createIntegration({ name: 'loose', kind: 'git', url, branch: 'main', username: 'git', token: key, pathTemplate: 'notes/{key}.md' });
    });
    after(async () => {
      await server?.close();
      await store?.close();
      await db?.cleanup();
      if (prev === undefined) delete process.env.VERSO_ALLOW_PRIVATE_REMOTES;
      else process.env.VERSO_ALLOW_PRIVATE_REMOTES = prev;
    });

    it('pushes as one version the mirror indexes, checks in sync, and pulls a mirror edit back', async () => {
      const doc = store.site('shop').doc('prd', 'checkout');
      const v1 = await doc.save({ content: { title: 'Checkout', body: 'One page.' }, author: { name: 'Pat PM', email: 'pat@example.com' }, message: 'First cut' });
      const mirrorRepo = store.repoDir((await store.getSite('mirror')).id);
      const before = git(mirrorRepo, ['rev-parse', 'refs/heads/main']).trim();

      const pushesBefore = pushes;
      const m = await doc.push('mirror', { ref: 'draft' });
      expect(pushes - pushesBefore).to.equal(1);
      expect(m).to.include({ integration: 'mirror', path: 'prd/checkout/en.json', versionNumber: 1, blob: v1.blob, remoteBlob: v1.blob, status: 'in_sync' });
      const head = git(mirrorRepo, ['rev-parse', 'refs/heads/main']).trim();
      expect(m.remoteCommit).to.equal(head);
      expect(git(mirrorRepo, ['rev-parse', `${head}^`]).trim()).to.equal(before);
      // The source is named by trailers the mirror does not read as its own version trailers.
      const body = git(mirrorRepo, ['show', '-s', '--format=%B', head]);
      expect(body).to.match(/^First cut\n\nVerso-Source-Doc: prd\/checkout\/en\nVerso-Source-Version: 1\nVerso-Source-Commit: [0-9a-f]{40}\n/);
      expect(body).not.to.match(/^Verso-(Doc|Version):/m);

      // The mirror indexed it as an ordinary pushed commit: one version, the same bytes, the author kept.
      const mirrored = store.site('mirror').doc('prd', 'checkout');
      const log = (await mirrored.log({ limit: 10 })).items;
      expect(log).to.have.length(1);
      expect(log[0]).to.include({ number: 1, commit: head, blob: v1.blob, message: 'First cut' });
      expect(log[0]!.author).to.deep.equal({ name: 'Pat PM', email: 'pat@example.com' });
      expect((await mirrored.show(1)).content).to.deep.equal({ title: 'Checkout', body: 'One page.' });

      const [checked] = await store.site('shop').checkIntegration('mirror');
      expect(checked).to.include({ doc: 'prd/checkout/en', status: 'in_sync', remoteCommit: head, remoteBlob: v1.blob });

      // An editor of the mirror saves a new version; the shop sees it and pulls it back.
      const edit = await mirrored.save({ content: { title: 'Checkout', body: 'One page, with Apple Pay.' }, author: { name: 'Eve Editor', email: 'eve@example.com' }, message: 'Apple Pay' });
      const [drift] = await store.site('shop').checkIntegration('mirror');
      expect(drift).to.include({ status: 'remote_changed', remoteBlob: edit.blob });
      const pulled = await doc.pull('mirror');
      expect(pulled).to.include({ number: 2, source: 'integration', blob: edit.blob });
      expect(pulled.author).to.deep.equal({ name: 'Eve Editor', email: 'eve@example.com' });
      expect((await doc.show(2)).content).to.deep.equal({ title: 'Checkout', body: 'One page, with Apple Pay.' });
      const [after] = await store.site('shop').checkIntegration('mirror');
      expect(after).to.include({ status: 'in_sync', versionNumber: 2, remoteCommit: edit.commit });
    });

    it('reports a push the mirror declines as declined, with its reason, without retrying or mapping', async () => {
      const doc = store.site('shop').doc('prd', 'loose');
      await doc.save({ content: '# Loose\n', format: 'markdown' });
      const mirrorRepo = store.repoDir((await store.getSite('mirror')).id);
      const before = git(mirrorRepo, ['rev-parse', 'refs/heads/main']).trim();
      const pushesBefore = pushes;
      let caught: unknown;
      try {
        await doc.push('loose', { ref: 'draft' });
      } catch (err) {
        caught = err;
      }
      // Declined once, not retried.
      expect(pushes - pushesBefore).to.equal(1);
      expect(caught, String(caught)).to.be.instanceOf(PushDeclinedError);
      expect(caught).to.be.instanceOf(ValidationError);
      expect(caught).not.to.be.instanceOf(ConflictError);
      const e = caught as PushDeclinedError;
      expect(e.code).to.equal('invalid_input');
      expect(e.data).to.include({ reason: 'push_declined', remote: 'git', branch: 'main' });
      // The mirror's own words: which path and why.
      expect(e.data.remoteMessage).to.be.a('string').and.include('notes/loose.md').and.include('outside the document layout');
      expect(e.message).to.include('declined');
      expect(e.data).not.to.have.property('attempts');
      expect(git(mirrorRepo, ['rev-parse', 'refs/heads/main']).trim()).to.equal(before);
      expect(await doc.mappings()).to.deep.equal([]);

      // Over HTTP the remote client rebuilds the same class (400, details.reason push_declined).
      const remote = connect({ baseUrl: server.url, apiKey: key });
      let overHttp: unknown;
      try {
        await remote.site('shop').doc('prd', 'loose').push('loose', { ref: 'draft' });
      } catch (err) {
        overHttp = err;
      }
      expect(overHttp, String(overHttp)).to.be.instanceOf(PushDeclinedError);
      expect((overHttp as PushDeclinedError).data.remoteMessage).to.include('outside the document layout');
    });
  });
}
