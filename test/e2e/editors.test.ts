/**
 * The editors' pages end to end: an embedded store on PGlite in a temp dir, the gateway on an
 * ephemeral port, and Debian's Chromium driven by playwright-core. The steps run in order and
 * share one signed-in browser context, like an editor's session: sign in, browse, open a
 * history, compare two versions, publish, roll back; then a viewer key and a scoped key check
 * what they must not see or do. Chromium missing is a failure, never a skip.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openStore } from '../../lib/sdk/openStore.js';
import type { DocHandle, EmbeddedStore } from '../../lib/types.js';
import { startServer, type RunningServer } from '../../gateway/serve.js';
import {
  ARTIFACTS, BUSY_VERSIONS, HOME_V1, HOME_V3, launchChromium, rowsWithBadge, seedStore, signIn as signInWith, watchErrors,
} from './editorsHarness.js';

describe('editors pages (e2e, headless Chromium)', function () {
  this.timeout(180_000);

  let dataDir: string;
  let store: EmbeddedStore;
  let server: RunningServer;
  let browser: Browser;
  let editor: BrowserContext;
  let page: Page;
  let home: DocHandle;
  const keys: Record<'editor' | 'viewer', string> = { editor: '', viewer: '' };
  const browserErrors: string[] = [];

  const url = (path: string): string => `${server.url}${path}`;
  const homeHistory = '/ui/sites/acme/docs/page/home/en';
  const postHistory = '/ui/sites/acme/docs/post/hello/en';
  const watch = (p: Page): Page => watchErrors(p, browserErrors);
  const signIn = (context: BrowserContext, key: string, name: string): Promise<Page> =>
    signInWith({ context, baseUrl: server.url, key, name, errors: browserErrors });

  before(async function () {
    // First, so a missing browser fails the suite before anything else is set up.
    browser = await launchChromium();
    dataDir = await mkdtemp(join(tmpdir(), 'verso-e2e-editors-'));
    store = await openStore({ dataDir });
    const seeded = await seedStore(store);
    keys.editor = seeded.editorKey;
    keys.viewer = seeded.viewerKey;
    home = store.site('acme').doc('page', 'home', 'en');
    server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
    editor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await mkdir(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('signs in with an editor key and sets a strict HttpOnly cookie', async () => {
    page = await signIn(editor, keys.editor, 'Carol Editor');
    const cookie = (await editor.cookies(url('/ui/'))).find((c) => c.name === 'verso_ui');
    expect(cookie, 'session cookie').to.not.equal(undefined);
    expect(cookie).to.include({ httpOnly: true, sameSite: 'Strict', path: '/ui' });
    await page.locator('header .who', { hasText: 'Carol Editor' }).waitFor();
    // The key is scoped to acme: the other site is not offered.
    await page.getByRole('link', { name: /Acme Bakery/ }).waitFor();
    expect(await page.getByRole('link', { name: /Other Site/ }).count()).to.equal(0);
  });

  it('refuses a wrong key with a readable message', async () => {
    const context = await browser.newContext();
    const p = watch(await context.newPage());
    await p.goto(url('/ui/sign-in'));
    await p.getByLabel('API key').fill('vk_not-a-real-key');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    await context.close();
  });

  it("browses and searches the site's documents", async () => {
    await page.getByRole('link', { name: /Acme Bakery/ }).click();
    await page.getByRole('heading', { level: 1, name: /Acme Bakery/ }).waitFor();
    for (const name of ['page/home', 'post/hello', 'page/busy']) await page.getByRole('link', { name, exact: true }).waitFor();

    await page.getByLabel('Search').fill('hello');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('link', { name: 'post/hello', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'page/home', exact: true }).count()).to.equal(0);

    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.getByLabel('State').selectOption('published');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('link', { name: 'page/home', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'post/hello', exact: true }).count()).to.equal(0);
  });

  it("opens a document's history: newest first, author, message, kind, source and markers", async () => {
    await page.getByRole('link', { name: 'page/home', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'History of page/home (en)' }).waitFor();
    const numbers = await page.locator('table.history tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-version'))));
    expect(numbers).to.deep.equal([3, 2, 1]);
    expect(await rowsWithBadge(page, 'Published')).to.deep.equal([2]);
    expect(await rowsWithBadge(page, 'Current draft')).to.deep.equal([3]);

    const row2 = page.locator('tr[data-version="2"]');
    expect(await row2.innerText()).to.contain('Bob Writer').and.to.contain('AI edited').and.to.contain('draft');
    // A message full of markup is shown as text, never run.
    expect(await row2.innerText()).to.contain('<img src=x onerror=');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).to.equal(undefined);
    expect(await page.locator('tr[data-version="1"]').innerText()).to.contain('Ann Editor <ann@example.com>');

    await page.getByRole('link', { name: 'View version 1' }).click();
    expect(await page.locator('pre.content').innerText()).to.contain('"image": "bread.jpg"');
    await page.goBack();

    // Keyboard users get a skip link first.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Skip to content');
  });

  it('pages a long history 50 versions at a time', async () => {
    await page.goto(url('/ui/sites/acme/docs/page/busy/en'));
    const rows = page.locator('table.history tbody tr');
    expect(await rows.count()).to.equal(50);
    expect(await rows.first().getAttribute('data-version')).to.equal(String(BUSY_VERSIONS));
    await page.getByRole('link', { name: 'Older versions' }).click();
    expect(await rows.count()).to.equal(BUSY_VERSIONS - 50);
    expect(await rows.last().getAttribute('data-version')).to.equal('1');
    await page.getByRole('link', { name: 'Newest versions' }).waitFor();
  });

  it('compares two picked JSON versions field by field, and toggles changed-only', async () => {
    await page.goto(url(homeHistory));
    const compare = page.getByRole('button', { name: 'Compare selected' });
    expect(await compare.isDisabled()).to.equal(true);
    // One pick by keyboard, one by mouse.
    await page.getByLabel('Select version 1 to compare').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Select version 3 to compare').check();
    expect(await page.locator('[data-picker-status]').innerText()).to.equal('Versions 1 and 3 selected.');
    // Two picked: the others wait, the button is ready.
    expect(await page.getByLabel('Select version 2 to compare').isDisabled()).to.equal(true);
    await compare.click();

    await page.getByRole('heading', { level: 1, name: /Compare versions 1 and 3/ }).waitFor();
    const image = page.locator('tr[data-path="hero.image"]');
    expect(await image.getAttribute('class')).to.contain('row-change');
    expect(await image.locator('td.left').innerText()).to.contain('bread.jpg');
    expect(await image.locator('td.right').innerText()).to.contain('loaf.jpg');
    expect(await page.locator('tr[data-path="price"] td.right').innerText()).to.contain('3.5');
    expect(await page.locator('tr[data-path="open"]').getAttribute('class')).to.contain('row-add');
    const unchanged = page.locator('tr[data-path="tags[0]"]');
    expect(await unchanged.getAttribute('class')).to.contain('row-equal');
    expect(await unchanged.isVisible()).to.equal(true);
    await page.screenshot({ path: join(ARTIFACTS, 'compare.png'), fullPage: true });

    await page.getByLabel('Changed only').check();
    await unchanged.waitFor({ state: 'hidden' });
    expect(await image.isVisible()).to.equal(true);
    expect(new URL(page.url()).searchParams.get('changed')).to.equal('1');
    await page.screenshot({ path: join(ARTIFACTS, 'compare-changed-only.png'), fullPage: true });

    // The server renders the same state for the URL (a reload or a shared link).
    await page.reload();
    expect(await page.getByLabel('Changed only').isChecked()).to.equal(true);
    expect(await page.locator('tr[data-path="tags[0]"]').isVisible()).to.equal(false);
    await page.getByLabel('Changed only').uncheck();
    await page.locator('tr[data-path="tags[0]"]').waitFor({ state: 'visible' });

    // JSON can also be compared as formatted text.
    await page.getByRole('link', { name: 'Lines', exact: true }).click();
    const imageLine = page.locator('table.diff-lines tr.row-change', { hasText: 'loaf.jpg' });
    expect(await imageLine.locator('td.left').innerText()).to.contain('"image": "bread.jpg"');
  });

  it('compares any two markdown versions line by line', async () => {
    await page.goto(url(postHistory));
    await page.getByRole('spinbutton', { name: 'Compare version', exact: true }).fill('1');
    await page.getByRole('spinbutton', { name: 'with version', exact: true }).fill('3');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /Compare versions 1 and 3/ }).waitFor();

    const changed = page.locator('table.diff-lines tr.row-change');
    const texts = await changed.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('td.left')?.textContent ?? '', tr.querySelector('td.right')?.textContent ?? ''] as [string, string]));
    expect(texts.some(([l, r]) => l.includes('We bake bread.') && r.includes('We bake bread and cakes.'))).to.equal(true);
    expect(texts.some(([l, r]) => l.includes('# Hello') && r.includes('# Hello there'))).to.equal(true);
    expect(await page.locator('table.diff-lines tr.row-add td.right').innerText()).to.contain('See you soon.');
    expect(await page.locator('mark.add', { hasText: 'and cakes' }).count()).to.equal(1);

    await page.getByLabel('Changed only').check();
    expect(await page.locator('tr.row-equal').first().isVisible()).to.equal(false);
    expect(await page.locator('tr.row-skip').first().isVisible()).to.equal(true);
    await page.screenshot({ path: join(ARTIFACTS, 'compare-markdown.png'), fullPage: true });
  });

  it('publishes a version after a confirmation step; the marker moves and the store agrees', async () => {
    await page.goto(url(homeHistory));
    await page.getByRole('link', { name: 'Publish version 3' }).click();
    await page.getByRole('heading', { level: 1, name: 'Publish version 3?' }).waitFor();
    expect(await page.getByText('Version 2 is published now.').count()).to.equal(1);
    // Nothing changed until confirmed.
    expect((await home.show('published')).number).to.equal(2);
    await page.getByRole('button', { name: 'Publish version 3' }).click();

    await page.getByRole('status').filter({ hasText: 'Version 3 is now published.' }).waitFor();
    // The audit trail names the key the editor signed in with.
    const published = (await store.site('acme').events({ limit: 1000 })).items.filter((e) => e.action === 'version.publish').at(-1);
    expect(published?.actor?.name).to.equal('e2e editor');
    expect(new URL(page.url()).pathname).to.equal(homeHistory);
    expect(await rowsWithBadge(page, 'Published')).to.deep.equal([3]);
    expect((await home.show('published')).number).to.equal(3);
  });

  it('cancels a confirmation without changing anything', async () => {
    await page.getByRole('link', { name: 'Roll back to version 2' }).click();
    await page.getByRole('link', { name: 'Cancel' }).click();
    expect(new URL(page.url()).pathname).to.equal(homeHistory);
    expect((await home.log({ limit: 1 })).items[0]?.number).to.equal(3);
  });

  it('rolls back to a version after a confirmation step: a new version with the old content', async () => {
    await page.getByRole('link', { name: 'Roll back to version 1' }).click();
    await page.getByRole('heading', { level: 1, name: 'Roll back to version 1?' }).waitFor();
    await page.getByLabel('Message').fill('Back to the original hero');
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();

    await page.getByRole('status').filter({ hasText: 'Rolled back: new version 4 restores the content of version 1.' }).waitFor();
    const newest = page.locator('table.history tbody tr').first();
    expect(await newest.getAttribute('data-version')).to.equal('4');
    expect(await newest.innerText()).to.contain('Back to the original hero').and.to.contain('Carol Editor');
    expect(await rowsWithBadge(page, 'Current draft')).to.deep.equal([4]);
    expect(await rowsWithBadge(page, 'Published')).to.deep.equal([3]);

    const restored = await home.show(4);
    expect(restored.content).to.deep.equal(HOME_V1);
    expect(restored.author.name).to.equal('Carol Editor');
    expect((await home.show('published')).number).to.equal(3);
    // History is never rewritten.
    expect((await home.show(3)).content).to.deep.equal(HOME_V3);
  });

  it('refuses a POST without the CSRF token', async () => {
    const answer = await editor.request.post(url(`${homeHistory}/publish`), { form: { ref: '1' }, maxRedirects: 0 });
    expect(answer.status()).to.equal(403);
    expect((await home.show('published')).number).to.equal(3);
  });

  it('shows a viewer key no publish or roll back, and refuses them on the server too', async () => {
    const viewer = await browser.newContext();
    try {
      const p = await signIn(viewer, keys.viewer, 'Val Viewer');
      await p.goto(url(homeHistory));
      await p.getByRole('heading', { level: 1, name: 'History of page/home (en)' }).waitFor();
      expect(await p.getByRole('link', { name: /^Publish/ }).count()).to.equal(0);
      expect(await p.getByRole('link', { name: /^Roll back/ }).count()).to.equal(0);
      expect(await p.getByRole('button', { name: /Publish|Roll back/ }).count()).to.equal(0);

      await p.goto(url(`${homeHistory}/compare?from=1&to=4`));
      await p.getByRole('heading', { level: 1, name: /Compare versions 1 and 4/ }).waitFor();
      expect(await p.getByRole('link', { name: /Publish|Roll back/ }).count()).to.equal(0);

      const confirm = await p.goto(url(`${homeHistory}/publish?ref=1`));
      expect(confirm?.status()).to.equal(403);
      await p.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();

      // Even with its own valid CSRF token, a viewer's POST is refused.
      const csrf = await p.locator('input[name=csrf]').first().inputValue();
      const answer = await viewer.request.post(url(`${homeHistory}/publish`), { form: { ref: '1', csrf }, maxRedirects: 0 });
      expect(answer.status()).to.equal(403);
      expect((await home.show('published')).number).to.equal(3);
    } finally {
      await viewer.close();
    }
  });

  it("hides another site from a scoped key (not found, nothing leaked)", async () => {
    const answer = await page.goto(url('/ui/sites/other/docs/page/secret/en'));
    expect(answer?.status()).to.equal(404);
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    expect(await page.content()).to.not.contain('not for acme keys');
    const list = await page.goto(url('/ui/sites/other'));
    expect(list?.status()).to.equal(404);
  });

  it('shows a missing version readably', async () => {
    const answer = await page.goto(url(`${homeHistory}/compare?from=1&to=999`));
    expect(answer?.status()).to.equal(404);
    await page.getByRole('alert').waitFor();
    await page.getByRole('link', { name: 'Back to the history' }).click();
    expect(new URL(page.url()).pathname).to.equal(homeHistory);
  });

  it('signs out, and the pages ask to sign in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
    await page.goto(url(homeHistory));
    expect(new URL(page.url()).pathname).to.equal('/ui/sign-in');

    // Signing in again returns to the page that asked.
    await page.getByLabel('API key').fill(keys.editor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'History of page/home (en)' }).waitFor();
  });

  it('ran without script errors or CSP violations', () => {
    expect(browserErrors).to.deep.equal([]);
  });
});
