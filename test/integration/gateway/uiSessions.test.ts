/**
 * The editors' sign-in over real HTTP (issue 8, "Resources"): the session cookie held the raw
 * API key; 20 failed sign-ins from one address locked out the right key too; a name like
 * `Ann <ann@example.com>` made every rollback fail with 400.
 */
import { expect } from 'chai';
import { describeEachDatabase } from '../../helpers/databases.js';
import { startGateway, type Gateway } from './harness.js';

interface Answer {
  status: number;
  location: string | null;
  cookies: Map<string, string>;
  html: string;
}

async function request(g: Gateway, method: 'GET' | 'POST', path: string, opts: { cookie?: string; form?: Record<string, string> } = {}): Promise<Answer> {
  const res = await fetch(g.url + path, {
    method,
    redirect: 'manual',
    headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(opts.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(opts.form ? { body: new URLSearchParams(opts.form).toString() } : {}),
  });
  const cookies = new Map<string, string>();
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    cookies.set(pair!.slice(0, eq), decodeURIComponent(pair!.slice(eq + 1)));
  }
  return { status: res.status, location: res.headers.get('location'), cookies, html: await res.text() };
}

function csrfIn(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no csrf field on the page');
  return m[1]!;
}

/** Signs in through the form; returns the answer and the session cookie header to send back. */
async function signIn(g: Gateway, key: string, name = 'Ann'): Promise<{ answer: Answer; cookie: string }> {
  const form = await request(g, 'GET', '/ui/sign-in');
  const login = form.cookies.get('verso_ui_login')!;
  const answer = await request(g, 'POST', '/ui/sign-in', { cookie: `verso_ui_login=${login}`, form: { csrf: csrfIn(form.html), key, name, next: '/ui/sites' } });
  return { answer, cookie: `verso_ui=${encodeURIComponent(answer.cookies.get('verso_ui') ?? '')}` };
}

describeEachDatabase('editors sign-in and sessions', function (target) {
  this.timeout(120_000);
  let g: Gateway;
  let editor: string;
  beforeEach(async () => {
    g = await startGateway({ target });
    await g.store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
    editor = (await g.store.createKey({ role: 'editor', site: 'acme', name: 'ann' })).key;
  });
  afterEach(() => g.stop());

  it('the session cookie holds a server-side id, never the API key; signing out ends it on the server', async () => {
    const { answer, cookie } = await signIn(g, editor);
    expect(answer.status).to.equal(303);
    const value = answer.cookies.get('verso_ui')!;
    expect(value).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(value).to.not.include(editor);
    expect(Buffer.from(value, 'base64url').toString('latin1')).to.not.include(editor);
    const page = await request(g, 'GET', '/ui/sites', { cookie });
    expect(page.status).to.equal(200);
    const out = await request(g, 'POST', '/ui/sign-out', { cookie, form: { csrf: csrfIn(page.html) } });
    expect(out.status).to.equal(303);
    // The old cookie value, replayed after sign-out, opens nothing.
    const replay = await request(g, 'GET', '/ui/sites', { cookie });
    expect(replay.status).to.equal(303);
    expect(replay.location).to.match(/^\/ui\/sign-in/);
  });

  it('20 failed sign-ins from one address do not lock out a right key; 5 failures on one key pause that key', async () => {
    for (let i = 0; i < 20; i++) {
      const wrong = await signIn(g, `vk_${String(i).padStart(3, '0')}wrong_${'x'.repeat(40)}`);
      expect(wrong.answer.status).to.equal(401);
    }
    expect((await signIn(g, 'vk_wrongzzz_' + 'x'.repeat(40))).answer.status, 'a wrong key after 20 failures').to.equal(429);
    const right = await signIn(g, editor);
    expect(right.answer.status, right.answer.html).to.equal(303);
    expect((await request(g, 'GET', '/ui/sites', { cookie: right.cookie })).status).to.equal(200);

    // Guessing at one key (same prefix) is paused after 5 failures, even for its right value.
    const other = (await g.store.createKey({ role: 'viewer', site: 'acme' })).key;
    for (let i = 0; i < 5; i++) expect((await signIn(g, `${other.slice(0, 10)}guess${i}`)).answer.status).to.be.oneOf([401, 429]);
    expect((await signIn(g, other)).answer.status).to.equal(429);
  });

  it('a name like "Ann <ann@example.com>" becomes name + email, and a rollback from the pages works', async () => {
    const doc = g.store.site('acme').doc('page', 'home');
    await doc.save({ content: { t: 1 } });
    await doc.save({ content: { t: 2 } });
    const { answer, cookie } = await signIn(g, editor, 'Ann <ann@example.com>');
    expect(answer.status, answer.html).to.equal(303);
    const confirm = await request(g, 'GET', '/ui/sites/acme/docs/page/home/en/rollback?ref=1', { cookie });
    expect(confirm.status, confirm.html).to.equal(200);
    const done = await request(g, 'POST', '/ui/sites/acme/docs/page/home/en/rollback', { cookie, form: { csrf: csrfIn(confirm.html), ref: '1' } });
    expect(done.status, done.html).to.equal(303);
    const latest = (await doc.log()).items[0]!;
    expect(latest.number).to.equal(3);
    expect(latest.author).to.deep.equal({ name: 'Ann', email: 'ann@example.com' });
  });

  it('refuses at sign-in a name no author can have, saying why', async () => {
    const { answer } = await signIn(g, editor, 'Ann <ann@example.com> <two>');
    expect(answer.status).to.equal(400);
    expect(answer.html).to.include('Write your name as');
    expect(answer.cookies.has('verso_ui')).to.equal(false);
  });
});
