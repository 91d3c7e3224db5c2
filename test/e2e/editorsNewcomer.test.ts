/**
 * The editors' pages as issue 13 item 9 asks: titles beside slugs, a locale switcher, unpublish
 * and archive, the documents list in natural key order, a total count, JSON field diffs with the
 * title first and blocks matched by id, error pages whose way back exists; and every page
 * photographed at 1280 and 390 px (test-artifacts/), with checks that at 390 px nothing runs
 * off the side, actions stay on screen and field paths do not spill over their values.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openStore } from '../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../lib/types.js';
import { startServer, type RunningServer } from '../../gateway/serve.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { ARTIFACTS, launchChromium, signIn } from './editorsHarness.js';

const WIDTHS = [1280, 390] as const;

/** At this width: no horizontal scrolling, and every element matching `visible` inside the viewport. */
async function checkLayout(page: Page, width: number, visible: string[]): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `horizontal overflow at ${width}px on ${page.url()}`).to.be.at.most(0);
  for (const selector of visible) {
    const boxes = await page.locator(selector).evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right, width: r.width })));
    expect(boxes.length, `${selector} on ${page.url()}`).to.be.greaterThan(0);
    for (const b of boxes) {
      expect(b.width, `${selector} has no size`).to.be.greaterThan(0);
      expect(b.left, `${selector} starts off-screen at ${width}px`).to.be.at.least(0);
      expect(b.right, `${selector} ends off-screen at ${width}px`).to.be.at.most(width);
    }
  }
}

for (const target of databaseTargets()) {
  describe(`editors' pages for a newcomer (${target}, headless Chromium)`, function () {
    this.timeout(240_000);
    let db: TestDatabase;
    let store: EmbeddedStore;
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const errors: string[] = [];
    const url = (path: string) => `${server.url}${path}`;
    const history = '/ui/sites/acme/docs/page/home/en';

    /** Opens `path` at each width, checks the layout, saves a screenshot per width. */
    async function photograph(path: string, name: string, visible: string[] = []): Promise<void> {
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(url(path));
        await checkLayout(page, width, visible);
        await page.screenshot({ path: join(ARTIFACTS, `newcomer-${target}-${name}-${width}.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    }

    before(async () => {
      browser = await launchChromium();
      db = await freshDatabase(target);
      store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      await store.createSite({ id: 'acme', name: 'Acme Bakery', locales: ['en', 'fr'] });
      const acme = store.site('acme');
      const home = acme.doc('page', 'home', 'en');
      await home.save({ content: { title: 'Welcome', body: 'Fresh bread', blocks: [{ id: 'hero', text: 'Hi' }, { id: 'faq', text: 'Questions' }] }, author: 'Ann' });
      await home.publish(1);
      await home.save({
        content: { title: 'Welcome home', body: 'Fresh bread daily', blocks: [{ id: 'intro', text: 'New' }, { id: 'hero', text: 'Hello there, a much longer greeting' }, { id: 'faq', text: 'Questions' }] },
        author: 'Bob',
      });
      await acme.doc('page', 'home', 'fr').save({ content: { title: 'Bienvenue' }, author: 'Ann' });
      for (const key of ['post-10', 'post-2', 'post-1']) await acme.doc('post', key, 'en').save({ content: { title: `Post ${key.slice(5)}` } });
      await acme.doc('prd', 'search', 'en').save({ content: '# Search v2\n\nFind anything.\n', format: 'markdown' });
      await acme.doc('prd', 'search', 'en').save({ content: '# Search v2\n\nFind anything, fast.\n' });
      const key = (await store.createKey({ role: 'editor', site: 'acme', name: 'newcomer e2e' })).key;
      server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
      await mkdir(ARTIFACTS, { recursive: true });
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await signIn({ context, baseUrl: server.url, key, name: 'Carol', errors });
    });

    after(async () => {
      await browser?.close();
      await server?.close();
      await store?.close();
      await db?.cleanup();
    });

    it('lists documents with their titles, keys in natural order (post-2 before post-10)', async () => {
      await photograph('/ui/sites/acme', 'docs', ['table a']);
      await page.goto(url('/ui/sites/acme?type=post'));
      const rows = await page.locator('tbody tr td:first-child').allInnerTexts();
      expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).to.deep.equal(['post/post-1 Post 1', 'post/post-2 Post 2', 'post/post-10 Post 10']);
      await page.goto(url('/ui/sites/acme?type=prd'));
      expect(await page.locator('tbody .doc-title').innerText()).to.equal('Search v2');
    });

    it("shows a document's title, total versions and a locale switcher", async () => {
      await photograph(history, 'history', ['.row-actions .button', '.locales a']);
      expect(await page.locator('[data-doc-title]').innerText()).to.equal('Welcome home');
      expect(await page.locator('[data-total]').innerText()).to.match(/^2 in all/);
      await page.getByRole('navigation', { name: 'Locales of this document' }).getByRole('link', { name: 'fr' }).click();
      await page.getByRole('heading', { level: 1, name: 'History of page/home (fr)' }).waitFor();
      expect(await page.locator('[data-doc-title]').innerText()).to.equal('Bienvenue');
    });

    it('shows when each version was published next to when it was saved, with the total', async () => {
      await photograph(history, 'history-published', ['tr[data-version="1"] [data-published-at] time', 'tr[data-version="1"] .row-actions .button']);
      const published = (await store.site('acme').doc('page', 'home', 'en').show(1)).publishedAt;
      expect(published).to.be.a('string');
      const headers = await page.locator('table.history thead th').allInnerTexts();
      expect(headers.indexOf('Published'), headers.join('|')).to.equal(headers.indexOf('Saved') + 1);
      expect(await page.locator('tr[data-version="1"] [data-published-at] time').getAttribute('datetime')).to.equal(published);
      expect(await page.locator('tr[data-version="1"] [data-published-at]').innerText()).to.equal(`${published!.slice(0, 16).replace('T', ' ')} UTC`);
      expect(await page.locator('tr[data-version="2"] [data-published-at]').innerText()).to.equal('never');
      expect(await page.locator('[data-total]').innerText()).to.match(/^2 in all/);
    });

    it('keeps Publish and Roll back on screen at 390 px', async () => {
      await page.setViewportSize({ width: 390, height: 900 });
      await page.goto(url(history));
      for (const name of ['Publish version 2', 'Roll back to version 1']) {
        const box = await page.getByRole('link', { name }).boundingBox();
        expect(box, name).to.not.equal(null);
        expect(box!.x).to.be.at.least(0);
        expect(box!.x + box!.width, `${name} is off-screen`).to.be.at.most(390);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    it('compares JSON field by field: title first, blocks matched by id, paths never over their values', async () => {
      await photograph(`${history}/compare?from=1&to=2`, 'compare-fields', ['table.diff tr.row-change .path']);
      const rows = await page.locator('table.diff-fields tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-path') ?? '', tr.className]),
      );
      const paths = rows.map(([p]) => p).filter(Boolean);
      expect(paths[0]).to.equal('title');
      expect(paths).to.include.members(['blocks[id=intro].text', 'blocks[id=hero].text', 'blocks[id=faq].text']);
      const faq = rows.find(([p]) => p === 'blocks[id=faq].text');
      expect(faq?.[1], 'the unchanged block is not shown as changed').to.include('row-equal');
      await page.setViewportSize({ width: 390, height: 900 });
      const spill = await page.locator('table.diff tr.row-change .path').evaluateAll((tds) => tds.filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent));
      expect(spill, 'paths wider than their cells at 390 px').to.deep.equal([]);
      await page.setViewportSize({ width: 1280, height: 900 });
      await photograph('/ui/sites/acme/docs/prd/search/en/compare?from=1&to=2', 'compare-lines', ['table.diff']);
    });

    it('photographs the sign-in, sites, version and confirmation pages at both widths', async () => {
      await photograph('/ui/sites', 'sites', ['main a']);
      await photograph(`${history}/versions/1`, 'version', ['h1']);
      await photograph(`${history}/publish?ref=1`, 'confirm-publish', ['form button[type=submit]']);
      await photograph(`${history}/rollback?ref=1`, 'confirm-rollback', ['form button[type=submit]']);
      const anon = await browser.newContext();
      const signInPage = await anon.newPage();
      for (const width of WIDTHS) {
        await signInPage.setViewportSize({ width, height: 900 });
        await signInPage.goto(url('/ui/sign-in'));
        await checkLayout(signInPage, width, ['button[type=submit]']);
        await signInPage.screenshot({ path: join(ARTIFACTS, `newcomer-${target}-sign-in-${width}.png`), fullPage: true });
      }
      await anon.close();
    });

    it('unpublishes after a confirmation step, and the store agrees', async () => {
      await photograph(`${history}/unpublish`, 'confirm-unpublish', ['form button[type=submit]']);
      await page.goto(url(history));
      await page.getByRole('link', { name: 'Unpublish' }).click();
      await page.getByRole('heading', { level: 1, name: 'Unpublish page/home (en)?' }).waitFor();
      await page.getByRole('button', { name: 'Unpublish' }).click();
      await page.getByRole('status').filter({ hasText: 'Unpublished' }).waitFor();
      expect((await store.site('acme').doc('page', 'home', 'en').log()).items.some((v) => v.isCurrentPublished)).to.equal(false);
      expect(await page.getByRole('link', { name: 'Unpublish' }).count()).to.equal(0);
    });

    it('archives after a confirmation step, and the store agrees', async () => {
      await photograph('/ui/sites/acme/docs/post/post-1/en/archive', 'confirm-archive', ['form button[type=submit]']);
      await page.goto(url('/ui/sites/acme/docs/post/post-1/en'));
      await page.getByRole('link', { name: 'Archive' }).click();
      await page.getByRole('button', { name: 'Archive' }).click();
      await page.getByRole('status').filter({ hasText: 'Archived' }).waitFor();
      const listed = (await store.site('acme').docs({ type: 'post' })).items.find((d) => d.key === 'post-1');
      expect(listed?.archived).to.equal(true);
    });

    it('error pages lead back to a page that exists', async () => {
      await photograph('/ui/sites/acme/docs/page/missing/en', 'error', ['main a']);
      await page.goto(url('/ui/sites/acme/docs/page/missing/en'));
      const back = page.getByRole('link', { name: /^Back to/ });
      expect(await back.getAttribute('href')).to.equal('/ui/sites/acme');
      await page.goto(url('/ui/sites/acme/docs/page/missing/en/versions/1'));
      expect(await page.getByRole('link', { name: /^Back to/ }).getAttribute('href')).to.equal('/ui/sites/acme');
      await page.goto(url(`${history}/versions/99`));
      expect(await page.getByRole('link', { name: /^Back to/ }).getAttribute('href')).to.equal(history);
      await page.goto(url('/ui/sites/nosuch'));
      expect(await page.getByRole('link', { name: /^Back to/ }).getAttribute('href')).to.equal('/ui/sites');
    });

    it('ran without script errors', () => {
      expect(errors).to.deep.equal([]);
    });
  });
}
