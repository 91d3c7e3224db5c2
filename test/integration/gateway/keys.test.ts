/**
 * API keys over HTTP: a key is remembered between requests (see lib/ops/authenticate.ts), yet a
 * revoked key stops at once, and last use is recorded.
 */
import { expect } from 'chai';
import { startGateway, type Gateway } from './harness.js';
import { describeEachDatabase } from '../../helpers/databases.js';

describeEachDatabase('gateway: API key lifecycle', function (target) {
  this.timeout(120_000);
  let g: Gateway;
  before(async () => {
    g = await startGateway({ target });
    await g.store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
  });
  after(async () => g && (await g.stop()));

  it('a key revoked through the API is refused on its very next request', async () => {
    const created = await g.call('POST', '/v1/keys', { key: g.adminKey, body: { role: 'editor', site: 'acme', name: 'short-lived' } });
    expect(created.status, created.text).to.equal(201);
    const { id, key } = created.body as { id: string; key: string };
    for (let i = 0; i < 3; i++) expect((await g.call('GET', '/v1/sites/acme/docs', { key })).status).to.equal(200);

    const listed = await g.call('GET', '/v1/keys', { key: g.adminKey });
    const mine = (listed.body.items ?? listed.body).find((k: { id: string }) => k.id === id);
    expect(mine.lastUsedAt, 'last use is recorded').to.be.a('string');

    expect((await g.call('DELETE', `/v1/keys/${id}`, { key: g.adminKey })).status).to.be.oneOf([200, 204]);
    const after = await g.call('GET', '/v1/sites/acme/docs', { key });
    expect(after.status).to.equal(401);
    expect(after.body.error.code).to.equal('unauthorized');
  });

  it('an unknown key stays refused however often it is tried', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await g.call('GET', '/v1/sites/acme/docs', { key: 'vk_' + 'x'.repeat(43) });
      expect(res.status).to.equal(401);
    }
  });
});
