/**
 * The documents page searches titles and bodies (headless Chromium): a word only a body has
 * finds its document with the match highlighted, and markup in a body is shown as text.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import type { Browser } from 'playwright-core';
import { openStore } from '../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../lib/types.js';
import { startServer, type RunningServer } from '../../gateway/serve.js';
import { launchChromium, seedStore, signIn } from './editorsHarness.js';

describe('editors pages: full-text search (e2e, headless Chromium)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let store: EmbeddedStore;
  let server: RunningServer;
  let browser: Browser;
  const errors: string[] = [];

  before(async function () {
    browser = await launchChromium();
    dataDir = await mkdtemp(join(tmpdir(), 'verso-e2e-search-'));
    store = await openStore({ dataDir });
    const { editorKey } = await seedStore(store);
    await store.site('acme').doc('page', 'jam').save({ content: { title: 'Preserves', body: 'Our <b>marmalade</b> & jam <script>window.hacked = 1</script>' } });
    server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
    const context = await browser.newContext();
    const page = await signIn({ context, baseUrl: server.url, key: editorKey, name: 'Searcher', errors });
    (this as unknown as { page: typeof page }).page = page;
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('finds a word in a body, highlighted, with the body\'s markup shown as text', async function () {
    const page = (this as unknown as { page: import('playwright-core').Page }).page;
    await page.goto(`${server.url}/ui/sites/acme`);
    await page.getByLabel('Search').fill('marmalade');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('heading', { name: 'Found in titles and bodies' }).waitFor();
    const hit = page.locator('ol.search-hits li');
    expect(await hit.count()).to.equal(1);
    expect(await hit.locator('a').innerText()).to.match(/^page\/jam en, version 1$/);
    expect(await hit.locator('mark').allInnerTexts()).to.deep.equal(['marmalade']);
    expect(await hit.locator('.snippet').innerText()).to.contain('& jam');
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).to.equal(undefined);
    // page/home has "bread" in a heading (a title-like field), so it ranks above a body mention.
    await page.getByLabel('Search').fill('bread');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('heading', { name: 'Found in titles and bodies' }).waitFor();
    expect((await page.locator('ol.search-hits li a').allInnerTexts())[0]).to.equal('page/home en, version 3');
    expect(errors).to.deep.equal([]);
  });
});
