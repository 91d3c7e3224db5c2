/**
 * The remote store's own concerns, beyond the conformance suite: errors come back as the
 * exported classes (instanceof), path segments are encoded or refused before any request,
 * an injected fetch is used, and a gateway that cannot be reached (or a proxy answering 502) gives an
 * UnavailableError without the key in it.
 */
import { expect } from 'chai';
import {
  AuthError,
  ConflictError,
  ForbiddenError,
  UnavailableError,
  NotFoundError,
  PreviewExpiredError,
  RateLimitedError,
  ValidationError,
  VersoError,
  connect,
} from '../../../lib/index.js';
import { startGateway, type Gateway } from './harness.js';
import { describeEachDatabase } from '../../helpers/databases.js';

async function caught(p: Promise<unknown>): Promise<VersoError> {
  try {
    await p;
  } catch (err) {
    return err as VersoError;
  }
  throw new Error('expected the call to fail');
}

describeEachDatabase('remote store (connect)', function (target) {
  this.timeout(120_000);
  let g: Gateway;

  before(async () => {
    g = await startGateway({ target });
    await g.store.createSite({ id: 'acme', name: 'Acme', defaultLocale: 'fr', locales: ['fr', 'en'] });
    await g.store.createSite({ id: 'other', name: 'Other' });
  });
  after(async () => g && (await g.stop()));

  it('throws the same classes as the embedded store, with the same codes', async () => {
    const admin = connect({ baseUrl: g.url, apiKey: g.adminKey });
    const viewer = connect({ baseUrl: g.url, apiKey: (await g.store.createKey({ role: 'viewer', site: 'acme' })).key });
    const nobody = connect({ baseUrl: g.url, apiKey: 'vk_not-a-real-key-at-all-000000' });

    const auth = await caught(nobody.listSites());
    expect(auth).to.be.instanceOf(AuthError);
    expect(auth.code).to.equal('unauthorized');
    expect(await caught(viewer.site('acme').doc('post', 'x').save({ content: {} }))).to.be.instanceOf(ForbiddenError);
    expect(await caught(viewer.site('other').docs())).to.be.instanceOf(NotFoundError);
    expect(await caught(viewer.listKeys())).to.be.instanceOf(ForbiddenError);
    expect(await caught(admin.getSite('missing'))).to.be.instanceOf(NotFoundError);
    expect(await caught(admin.createSite({ id: 'acme', name: 'Again' }))).to.be.instanceOf(ConflictError);
    const invalid = await caught(admin.site('acme').doc('post', 'x').log({ cursor: 'nope!' }));
    expect(invalid).to.be.instanceOf(ValidationError);
    expect(invalid.data).to.include({ field: 'cursor' });
    // Unknown fields are refused over HTTP (the embedded store ignores them; TypeScript forbids them).
    const extra = await caught(admin.site('acme').doc('post', 'x').save({ content: {}, colour: 'red' } as never));
    expect(extra).to.be.instanceOf(ValidationError);
  });

  it('gives 410 preview_expired as PreviewExpiredError', async () => {
    const admin = connect({ baseUrl: g.url, apiKey: g.adminKey });
    const d = admin.site('acme').doc('page', 'promo');
    await d.save({ content: { title: 'Sale' } });
    const link = await d.preview(1, { maxUses: 1 });
    const view = await admin.site('acme').resolvePreview(link.token);
    expect(view).to.include({ site: 'acme', type: 'page', key: 'promo', locale: 'fr' });
    expect(await caught(admin.site('acme').resolvePreview(link.token))).to.be.instanceOf(PreviewExpiredError);
    const again = await d.preview(1);
    expect(await caught(admin.site('other').resolvePreview(again.token))).to.be.instanceOf(NotFoundError);
    const open = await fetch(`${g.url}/v1/preview/${encodeURIComponent(again.token)}`);
    expect(open.status).to.equal(200);
  });

  it('gives 429 rate_limited as RateLimitedError', async () => {
    const limited = await g.serve({ rateLimit: { windowMs: 60_000, max: 2 } });
    const s = connect({ baseUrl: limited.url, apiKey: g.adminKey });
    await s.listSites();
    await s.listSites();
    const err = await caught(s.listSites());
    expect(err).to.be.instanceOf(RateLimitedError);
    expect(err.data.retryAfterSeconds).to.be.a('number');
  });

  it('uses the site default locale when a doc names none', async () => {
    const admin = connect({ baseUrl: g.url, apiKey: g.adminKey });
    const v = await admin.site('acme').doc('post', 'defaulted').save({ content: 'Bonjour', format: 'text' });
    expect(v.locale).to.equal('fr');
  });

  it('encodes path segments and refuses ones URL parsing would rewrite, before any request', async () => {
    const urls: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    const s = connect({ baseUrl: `${g.url}/`, apiKey: g.adminKey, fetch: recording });
    for (const bad of ['..', '.', '', 'a/b', 'a?b', 'a#b', '%2e%2e', 'A']) {
      expect(await caught(s.site('acme').doc(bad, 'x', 'en').show(1)), JSON.stringify(bad)).to.be.instanceOf(ValidationError);
      expect(await caught(s.site('acme').doc('post', bad, 'en').log()), JSON.stringify(bad)).to.be.instanceOf(ValidationError);
      expect(await caught(s.getSite(bad)), JSON.stringify(bad)).to.be.instanceOf(ValidationError);
    }
    expect(await caught(s.site('acme').doc('post', 'x', 'e/n').log())).to.be.instanceOf(ValidationError);
    expect(await caught(s.site('acme').deleteBranch('..'))).to.be.instanceOf(ValidationError);
    expect(await caught(s.site('acme').doc('post', 'x', 'en').show('..'))).to.be.instanceOf(ValidationError);
    expect(urls, 'nothing was sent').to.deep.equal([]);
    // Refs and branch names are parsed as the embedded store parses them, before any request.
    expect(await caught(s.site('acme').doc('post', 'x', 'en').show('a/b?c#d'))).to.be.instanceOf(ValidationError);
    expect(await caught(s.site('acme').deleteBranch('x/../../main'))).to.be.instanceOf(ValidationError);
    expect(urls, 'nothing was sent').to.deep.equal([]);
    // What is sent is encoded: a commit-hash ref and a branch go out as one segment each.
    await caught(s.site('acme').doc('post', 'x', 'en').show('abc1234'));
    expect(urls.every((u) => u.startsWith(`${g.url}/v1/sites/acme/`) && !u.includes('//v1'))).to.equal(true);
    expect(urls.some((u) => u.endsWith('/versions/abc1234'))).to.equal(true);
  });

  it('turns an unreachable gateway or a proxy\'s 502 into UnavailableError without the key', async () => {
    const key = 'vk_secret-key-that-must-not-leak-0000';
    const down = connect({ baseUrl: 'http://127.0.0.1:1', apiKey: key });
    const e1 = await caught(down.listSites());
    expect(e1).to.be.instanceOf(UnavailableError);
    expect(JSON.stringify({ m: e1.message, d: e1.data })).to.not.contain(key);
    const proxy = connect({ baseUrl: 'http://gw.invalid', apiKey: key, fetch: async () => new Response('<html>Bad Gateway</html>', { status: 502 }) });
    const e2 = await caught(proxy.listSites());
    expect(e2).to.be.instanceOf(UnavailableError);
    expect(e2.data).to.include({ status: 502 });
    const teapot = connect({ baseUrl: 'http://gw.invalid', apiKey: key, fetch: async () => new Response('nope', { status: 404 }) });
    expect(await caught(teapot.listSites())).to.be.instanceOf(NotFoundError);
  });
});
