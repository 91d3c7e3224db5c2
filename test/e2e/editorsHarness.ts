/**
 * What the editors' pages e2e test stands on: Debian's Chromium, the seeded store (two sites,
 * a JSON page and a markdown post with several versions, a long history, keys), and small page
 * helpers. A missing browser throws, so the test fails rather than skips.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { EmbeddedStore } from '../../lib/types.js';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export const HOME_V1 = { title: 'Welcome', hero: { heading: 'Fresh bread daily', image: 'bread.jpg' }, tags: ['bakery', 'local'], price: 3 };
export const HOME_V2 = { ...HOME_V1, title: 'Welcome!', hero: { heading: 'Fresh bread every day', image: 'bread.jpg' } };
export const HOME_V3 = { ...HOME_V2, hero: { heading: 'Fresh bread every day', image: 'loaf.jpg' }, price: 3.5, open: true };
const POST_V1 = '# Hello\n\nWe bake bread.\nEvery morning at six.\n\nCome by!\n';
const POST_V2 = '# Hello there\n\nWe bake bread.\nEvery morning at six.\n\nCome by!\n';
const POST_V3 = '# Hello there\n\nWe bake bread and cakes.\nEvery morning at six.\n\nCome by!\nSee you soon.\n';
// Markup in a message must be shown as text; the test checks the handler never ran.
const HOSTILE_MESSAGE = 'Warmer <img src=x onerror="window.__pwned=1"> heading';
export const BUSY_VERSIONS = 60;

export async function launchChromium(): Promise<Browser> {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is required: apt-get install -y chromium`).to.equal(true);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Site `acme` (page/home: JSON v1–v3, v2 published; post/hello: markdown v1–v3; page/busy:
 * BUSY_VERSIONS versions) and site `other` (page/secret), plus an editor and a viewer key
 * scoped to acme.
 */
export async function seedStore(store: EmbeddedStore): Promise<{ editorKey: string; viewerKey: string }> {
  await store.createSite({ id: 'acme', name: 'Acme Bakery', locales: ['en', 'fr'] });
  await store.createSite({ id: 'other', name: 'Other Site' });
  const home = store.site('acme').doc('page', 'home', 'en');
  await home.save({ content: HOME_V1, message: 'First draft', author: { name: 'Ann Editor', email: 'ann@example.com' } });
  await home.save({ content: HOME_V2, message: HOSTILE_MESSAGE, author: 'Bob Writer', source: 'ai_edit' });
  await home.publish(2);
  await home.save({ content: HOME_V3, message: 'New photo and price', author: 'Ann Editor' });
  const post = store.site('acme').doc('post', 'hello', 'en');
  await post.save({ content: POST_V1, format: 'markdown', message: 'Draft', author: 'Ann Editor' });
  await post.save({ content: POST_V2, format: 'markdown', message: 'Friendlier title', author: 'Ann Editor' });
  await post.save({ content: POST_V3, format: 'markdown', message: 'Cakes too', author: 'Bob Writer' });
  const busy = store.site('acme').doc('page', 'busy', 'en');
  for (let i = 1; i <= BUSY_VERSIONS; i++) await busy.save({ content: { n: i }, message: `save ${i}`, author: 'Bot' });
  await store.site('other').doc('page', 'secret', 'en').save({ content: { text: 'not for acme keys' }, message: 'hidden' });
  const editorKey = (await store.createKey({ role: 'editor', site: 'acme', name: 'e2e editor' })).key;
  const viewerKey = (await store.createKey({ role: 'viewer', site: 'acme', name: 'e2e viewer' })).key;
  return { editorKey, viewerKey };
}

/** Records script errors and CSP violations (both surface as page or console errors). */
export function watchErrors(page: Page, errors: string[]): Page {
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // Error pages answered on purpose (401/403/404/409) are logged by Chromium as failed loads.
    if (msg.type() === 'error' && !/status of (401|403|404|409)/.test(msg.text())) errors.push(`console: ${msg.text()}`);
  });
  return page;
}

/** Signs in through the form from /ui/ and waits for the site picker. */
export async function signIn(args: { context: BrowserContext; baseUrl: string; key: string; name: string; errors: string[] }): Promise<Page> {
  const page = watchErrors(await args.context.newPage(), args.errors);
  await page.goto(`${args.baseUrl}/ui/`);
  expect(new URL(page.url()).pathname).to.equal('/ui/sign-in');
  await page.getByLabel('API key').fill(args.key);
  await page.getByLabel(/Your name/).fill(args.name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sites' }).waitFor();
  return page;
}

/** Version numbers of the history rows carrying a marker, e.g. 'Published'. */
export async function rowsWithBadge(page: Page, badge: string): Promise<number[]> {
  const rows = page.locator('table.history tbody tr').filter({ has: page.locator('.badge', { hasText: badge }) });
  return (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-version'))))).sort((a, b) => a - b);
}
