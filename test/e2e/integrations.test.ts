/**
 * The editors' integrations page in headless Chromium: an editor pushes a document to a real
 * Git remote, sees the drift after a commit made in the remote, and pulls it back; a viewer sees
 * the mappings without buttons.
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../gateway/serve.js';
import { openStore } from '../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { git } from '../helpers/git.js';
import { startGitRemote, type GitRemoteServer } from '../helpers/gitRemoteServer.js';
import { launchChromium, signIn } from './editorsHarness.js';

for (const target of databaseTargets()) {
  describe(`editors' pages: integrations (${target})`, function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let store: EmbeddedStore;
    let server: RunningServer;
    let remote: GitRemoteServer;
    let browser: Browser;
    let editorKey: string;
    let viewerKey: string;
    const prev = process.env.VERSO_ALLOW_PRIVATE_REMOTES;

    before(async () => {
      process.env.VERSO_ALLOW_PRIVATE_REMOTES = '1';
      db = await freshDatabase(target);
      store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
      editorKey = (await store.createKey({ role: 'editor', site: 'acme' })).key;
      viewerKey = (await store.createKey({ role: 'viewer', site: 'acme' })).key;
      remote = await startGitRemote({ seed: { 'README.md': '# docs\n' } });
      await store.site('acme').createIntegration({ name: 'wiki', kind: 'git', url: remote.url, username: remote.username, token: remote.token });
      await store.site('acme').doc('prd', 'checkout').save({ content: '# Checkout\n', format: 'markdown', message: 'First' });
      server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await server?.close();
      await store?.close();
      await remote?.stop();
      await db?.cleanup();
      if (prev === undefined) delete process.env.VERSO_ALLOW_PRIVATE_REMOTES;
      else process.env.VERSO_ALLOW_PRIVATE_REMOTES = prev;
    });

    it('pushes, shows drift and pulls from the document page', async () => {
      const errors: string[] = [];
      const context = await browser.newContext();
      const page = await signIn({ context, baseUrl: server.url, key: editorKey, name: 'Ed Itor', errors });
      await page.goto(`${server.url}/ui/sites/acme/docs/prd/checkout/en`);
      await page.getByRole('link', { name: /Integrations/ }).click();
      await page.getByText('not mapped to any integration').waitFor();
      await page.getByRole('button', { name: 'Push prd/checkout (en) to wiki' }).click();
      await page.getByText('Pushed to wiki.').waitFor();
      expect(await page.locator('tr[data-integration="wiki"]').getAttribute('data-status')).to.equal('in_sync');
      expect(git(remote.bare, ['rev-parse', 'main:prd/checkout/en.md']).trim()).to.equal((await store.site('acme').doc('prd', 'checkout').show(1)).blob);

      remote.commitDirectly('main', { 'prd/checkout/en.md': '# Checkout\n\nEdited in the repo.\n' }, 'Repo edit');
      await store.site('acme').checkIntegration('wiki');
      await page.reload();
      await page.getByText('Changed in the repository: pull it').waitFor();
      await page.getByRole('button', { name: 'Pull prd/checkout (en) from wiki' }).click();
      await page.getByText('Pulled from wiki').waitFor();
      expect(await page.locator('tr[data-integration="wiki"]').getAttribute('data-status')).to.equal('in_sync');
      const latest = (await store.site('acme').doc('prd', 'checkout').log({ limit: 1 })).items[0]!;
      expect(latest).to.include({ number: 2, source: 'integration' });
      expect(errors).to.deep.equal([]);
      await context.close();
    });

    it('shows a viewer the mappings without Push or Pull', async () => {
      const errors: string[] = [];
      const context = await browser.newContext();
      const page = await signIn({ context, baseUrl: server.url, key: viewerKey, name: 'Vi Ewer', errors });
      await page.goto(`${server.url}/ui/sites/acme/docs/prd/checkout/en/integrations`);
      await page.locator('tr[data-integration="wiki"]').waitFor();
      expect(await page.getByRole('button', { name: /Push|Pull/ }).count()).to.equal(0);
      expect(errors).to.deep.equal([]);
      await context.close();
    });
  });
}
