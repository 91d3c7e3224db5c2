/**
 * The merge page end to end in headless Chromium: an editor picks the source and target
 * branches, sees every document the merge touches and a per-field / per-section conflict table
 * with base, ours and theirs, chooses per row, and merges; the store then holds one merge
 * version per document with both sides' edits and the chosen values. Screenshots at 1280 and
 * 390 px go to test-artifacts/. Runs on every database target.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../gateway/serve.js';
import { openStore } from '../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { ARTIFACTS, launchChromium, signIn, watchErrors } from './editorsHarness.js';

const PAGE = { hero: { heading: 'Fresh bread', image: 'bread.jpg' }, price: 3, tags: ['bakery'] };
const PRD = '# Checkout PRD\n\n## Goals\nFaster checkout.\n\n## Pricing\nFree.\n\n## Risks\nNone.\n';

async function seed(store: EmbeddedStore): Promise<{ editorKey: string; viewerKey: string }> {
  await store.createSite({ id: 'acme', name: 'Acme Bakery' });
  const s = store.site('acme');
  const home = s.doc('page', 'home');
  const prd = s.doc('prd', 'checkout');
  await home.save({ content: PAGE, author: 'Ann' });
  await prd.save({ content: PRD, format: 'markdown', author: 'Ann' });
  await s.createBranch('redesign');
  await home.save({ content: { ...PAGE, hero: { heading: 'Bread, baked at six', image: 'loaf.jpg' } }, branch: 'redesign', author: 'Bob' });
  await prd.save({ content: PRD.replace('Faster checkout.', 'Checkout in one click.').replace('Free.', 'Five euros.'), branch: 'redesign', author: 'Bob' });
  await s.doc('page', 'about').save({ content: { text: 'About us' }, branch: 'redesign', author: 'Bob' });
  await home.save({ content: { ...PAGE, hero: { heading: 'Fresh bread daily', image: 'bread.jpg' }, price: 4 }, author: 'Ann' });
  await prd.save({ content: PRD.replace('Free.', 'Three euros.').replace('None.', 'Card fraud.'), author: 'Ann' });
  return {
    editorKey: (await store.createKey({ role: 'editor', site: 'acme' })).key,
    viewerKey: (await store.createKey({ role: 'viewer', site: 'acme' })).key,
  };
}

for (const target of databaseTargets()) {
  describe(`merge page (e2e, headless Chromium) on ${target}`, function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let store: EmbeddedStore;
    let server: RunningServer;
    let browser: Browser;
    let keys: { editorKey: string; viewerKey: string };
    const errors: string[] = [];

    before(async () => {
      browser = await launchChromium();
      db = await freshDatabase(target);
      store = await openStore({ dataDir: await mkdtemp(join(tmpdir(), 'merge-e2e-')), databaseUrl: db.databaseUrl });
      keys = await seed(store);
      server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
      await mkdir(ARTIFACTS, { recursive: true });
    });
    after(async () => {
      await browser?.close();
      await server?.close();
      const dir = store?.dataDir;
      await store?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
      await db?.cleanup();
    });

    const conflictRow = (page: Page, name: string) => page.locator('table.merge-conflicts tbody tr', { has: page.locator('.merge-path', { hasText: name }) });

    it('previews every touched document and each conflict with base, ours and theirs, then merges the choices', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signIn({ context, baseUrl: server.url, key: keys.editorKey, name: 'Carol Editor', errors });
      await page.getByRole('link', { name: /Acme Bakery/ }).click();
      await page.getByRole('link', { name: 'Merge branches' }).click();
      await page.getByLabel('Source branch').selectOption('redesign');
      await page.getByLabel('Into (target)').selectOption('main');
      await page.getByRole('button', { name: 'Preview merge' }).click();
      await page.getByRole('heading', { name: 'Documents this merge touches' }).waitFor();

      const docs = await page.locator('table.merge-docs tbody tr').allInnerTexts();
      expect(docs.map((t) => t.split('\t')[0])).to.deep.equal(['page/about/en', 'page/home/en', 'prd/checkout/en']);
      const paths = await page.locator('table.merge-conflicts .merge-path').allInnerTexts();
      expect(paths).to.deep.equal(['/hero/heading', '#Pricing']);
      const heading = conflictRow(page, '/hero/heading');
      expect(await heading.locator('[data-side=base]').innerText()).to.equal('Fresh bread');
      expect(await heading.locator('[data-side=ours]').innerText()).to.equal('Fresh bread daily');
      expect(await heading.locator('[data-side=theirs]').innerText()).to.equal('Bread, baked at six');
      expect(await conflictRow(page, '#Pricing').locator('[data-side=ours]').innerText()).to.contain('Three euros.');
      expect(await conflictRow(page, '#Pricing').locator('[data-side=theirs]').innerText()).to.contain('Five euros.');
      await page.screenshot({ path: join(ARTIFACTS, `merge-page-1280-${target}.png`), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(ARTIFACTS, `merge-page-390-${target}.png`), fullPage: true });
      // At phone width the conflict table scrolls inside its box instead of widening the page.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
      await page.setViewportSize({ width: 1280, height: 900 });

      // Every row needs a choice: the browser refuses the form and nothing is merged.
      const before = (await store.site('acme').doc('page', 'home').log()).items.length;
      await page.getByRole('button', { name: 'Merge redesign into main' }).click();
      expect(await heading.locator('input[type=radio]').first().evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).to.equal(true);
      expect((await store.site('acme').doc('page', 'home').log()).items.length).to.equal(before);

      await heading.getByLabel('Take source').check();
      await conflictRow(page, '#Pricing').getByLabel('Keep target').check();
      await page.getByRole('button', { name: 'Merge redesign into main' }).click();
      await page.getByRole('status').filter({ hasText: 'Merged: 3 new version(s)' }).waitFor();
      await page.getByText('Nothing to merge').waitFor();

      const s = store.site('acme');
      expect((await s.doc('page', 'home').show('draft')).content).to.deep.equal({ hero: { heading: 'Bread, baked at six', image: 'loaf.jpg' }, price: 4, tags: ['bakery'] });
      expect((await s.doc('prd', 'checkout').show('draft')).content).to.equal(PRD.replace('Faster checkout.', 'Checkout in one click.').replace('Free.', 'Three euros.').replace('None.', 'Card fraud.'));
      expect((await s.doc('page', 'about').show('draft')).content).to.deep.equal({ text: 'About us' });
      const merged = (await s.doc('page', 'home').log({ limit: 1 })).items[0]!;
      expect(merged).to.deep.include({ kind: 'merge', author: { name: 'Carol Editor' }, message: 'Merge redesign into main' });
      expect(errors).to.deep.equal([]);
      await context.close();
    });

    it('shows a viewer the preview without a merge button, and refuses a viewer\'s POST', async () => {
      await store.site('acme').doc('page', 'about').save({ content: { text: 'About us, again' }, branch: 'redesign' });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signIn({ context, baseUrl: server.url, key: keys.viewerKey, name: 'Vic Viewer', errors });
      await page.goto(`${server.url}/ui/sites/acme/merge?source=redesign&into=main`);
      await page.getByText('Your key can read this site but not merge.').waitFor();
      expect(await page.getByRole('button', { name: /^Merge / }).count()).to.equal(0);
      const csrf = await page.locator('input[name=csrf]').first().inputValue();
      const res = await page.request.post(`${server.url}/ui/sites/acme/merge`, { form: { csrf, source: 'redesign', into: 'main', count: '0' } });
      expect(res.status()).to.equal(403);
      expect((await store.site('acme').doc('page', 'about').show('draft')).content).to.deep.equal({ text: 'About us' });
      watchErrors(page, errors);
      await context.close();
    });
  });
}
