/**
 * Preview links over real HTTP: answers are marked noindex (JSON, HTML and refusals alike), a
 * browser gets an HTML page, and a link bound to a domain opens only when the request's host is
 * that domain — X-Forwarded-Host counts only on a gateway told to trust its proxy.
 */
import { expect } from 'chai';
import { startGateway, type Gateway } from './harness.js';

describe('gateway: preview links', function () {
  this.timeout(120_000);
  let g: Gateway;

  before(async () => {
    g = await startGateway();
    await g.store.createSite({ id: 'acme', name: 'Acme', domains: ['preview.acme.test'] });
  });
  after(async () => g?.stop());

  it('marks every answer noindex and serves browsers an HTML page', async () => {
    const d = g.store.site('acme').doc('page', 'home');
    await d.save({ content: { title: 'Hello <world>' } });
    const p = await d.preview(1);
    const json = await g.call('GET', `/v1/preview/${p.token}`);
    expect(json.status).to.equal(200);
    expect(json.headers.get('x-robots-tag')).to.equal('noindex');
    expect(json.body.content).to.deep.equal({ title: 'Hello <world>' });
    const page = await g.call('GET', `/v1/preview/${p.token}`, { headers: { accept: 'text/html' } });
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(page.headers.get('x-robots-tag')).to.equal('noindex');
    expect(page.text).to.contain('<meta name="robots" content="noindex">').and.contain('Hello &lt;world&gt;').and.not.contain('<world>');
    const missing = await g.call('GET', `/v1/preview/${'x'.repeat(43)}`);
    expect(missing.status).to.equal(404);
    expect(missing.headers.get('x-robots-tag')).to.equal('noindex');
  });

  it('opens a domain-bound link only on its host; X-Forwarded-Host only behind a trusted proxy', async () => {
    const d = g.store.site('acme').doc('page', 'bound');
    await d.save({ content: { title: 'Bound' } });
    const p = await d.preview(1, { domain: 'preview.acme.test' });
    expect(p.url).to.equal(`http://preview.acme.test/v1/preview/${p.token}`);
    const direct = await g.call('GET', `/v1/preview/${p.token}`);
    expect(direct.status).to.equal(403);
    expect(direct.body.error.code).to.equal('forbidden');
    // Not trusted: a client cannot claim the domain with a header.
    const claimed = await g.call('GET', `/v1/preview/${p.token}`, { headers: { 'x-forwarded-host': 'preview.acme.test' } });
    expect(claimed.status).to.equal(403);
    const proxied = await g.serve({ trustProxy: 'loopback' });
    const viaProxy = await proxied.call('GET', `/v1/preview/${p.token}`, { headers: { 'x-forwarded-host': 'preview.acme.test' } });
    expect(viaProxy.status, viaProxy.text).to.equal(200);
    expect(viaProxy.body.content).to.deep.equal({ title: 'Bound' });
    const otherHost = await proxied.call('GET', `/v1/preview/${p.token}`, { headers: { 'x-forwarded-host': 'evil.test' } });
    expect(otherHost.status).to.equal(403);
    expect((await d.previews())[0]!.uses, 'refused opens used nothing').to.equal(1);
  });

  it('refuses an unbounded maxUses with 400, not 500', async () => {
    const res = await g.call('POST', '/v1/sites/acme/docs/page/home/en/versions/1/previews', { key: g.adminKey, body: { maxUses: 1e12 } });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('invalid_input');
  });
});
