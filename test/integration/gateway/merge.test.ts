/**
 * The merge and site-settings routes over real HTTP: the same field edited on both branches is a
 * 409 whose body names /that/field with base, ours and theirs; bad bodies are 400 before the
 * store runs; PATCH /v1/sites/:site answers the updated site and the OpenAPI document lists both.
 */
import { expect } from 'chai';
import { startGateway, type Gateway } from './harness.js';
import { describeEachDatabase } from '../../helpers/databases.js';

describeEachDatabase('gateway: merge and site update routes', function (target) {
  this.timeout(120_000);
  let g: Gateway;

  before(async () => {
    g = await startGateway({ target });
    await g.store.createSite({ id: 'acme', name: 'Acme' });
    const d = g.store.site('acme').doc('page', 'pricing');
    await d.save({ content: { plans: [{ id: 'free', price: 0 }, { id: 'pro', price: 10 }], title: 'Pricing' } });
    await g.store.site('acme').createBranch('q3');
    await d.save({ content: { plans: [{ id: 'free', price: 0 }, { id: 'pro', price: 15 }], title: 'Pricing' }, branch: 'q3' });
    await d.save({ content: { plans: [{ id: 'free', price: 0 }, { id: 'pro', price: 12 }], title: 'Plans' } });
  });
  after(async () => g && (await g.stop()));

  it('answers 409 with details.conflicts naming /plans/1/price, then merges with a resolution', async () => {
    const conflict = await g.call('POST', '/v1/sites/acme/merge', { key: g.adminKey, body: { source: 'q3' } });
    expect(conflict.status).to.equal(409);
    expect(conflict.body.error.code).to.equal('conflict');
    expect(conflict.body.error.details.conflicts).to.deep.equal([{ doc: 'page/pricing/en', path: '/plans/1/price', base: 10, ours: 12, theirs: 15 }]);

    const dry = await g.call('POST', '/v1/sites/acme/branches/q3/merge', { key: g.adminKey, body: { dryRun: true } });
    expect(dry.status).to.equal(200);
    expect(dry.body).to.deep.include({ dryRun: true, versions: [] });
    expect(dry.body.conflicts).to.deep.equal(conflict.body.error.details.conflicts);

    const ok = await g.call('POST', '/v1/sites/acme/merge', {
      key: g.adminKey,
      body: { source: 'q3', resolutions: [{ doc: 'page/pricing/en', path: '/plans/1/price', value: 14 }], author: 'Ada' },
    });
    expect(ok.status, ok.text).to.equal(200);
    expect(ok.body.versions.map((v: { number: number; kind: string }) => [v.number, v.kind])).to.deep.equal([[4, 'merge']]);
    expect((await g.store.site('acme').doc('page', 'pricing').show('draft')).content).to.deep.equal({ plans: [{ id: 'free', price: 0 }, { id: 'pro', price: 14 }], title: 'Plans' });
  });

  it('refuses malformed merge and update bodies with 400 invalid_input', async () => {
    for (const body of [{}, { source: 'q3', policy: 'newest' }, { source: 'q3', extra: 1 }, { source: 'q3', resolutions: [{ doc: 'x', path: '/a', take: 'mine' }] }]) {
      const r = await g.call('POST', '/v1/sites/acme/merge', { key: g.adminKey, body });
      expect(r.status, JSON.stringify(body)).to.equal(400);
      expect(r.body.error.code).to.equal('invalid_input');
    }
    for (const body of [{ conflictPolicy: 'x' }, { typePolicies: { 'Not-A-Slug': 'lww' } }, { id: 'other' }]) {
      const r = await g.call('PATCH', '/v1/sites/acme', { key: g.adminKey, body });
      expect(r.status, JSON.stringify(body)).to.equal(400);
    }
  });

  it('updates a site over PATCH and publishes both routes in the OpenAPI document', async () => {
    const r = await g.call('PATCH', '/v1/sites/acme', { key: g.adminKey, body: { conflictPolicy: 'lww', typePolicies: { prd: 'manual' } } });
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.include({ id: 'acme', conflictPolicy: 'lww', typePolicies: { prd: 'manual' } });
    expect((await g.call('GET', '/v1/sites/acme', { key: g.adminKey })).body).to.deep.include({ conflictPolicy: 'lww' });
    const doc = (await g.call('GET', '/openapi.json')).body;
    expect(doc.paths['/v1/sites/{site}'].patch.operationId).to.equal('updateSite');
    expect(doc.paths['/v1/sites/{site}/merge'].post.operationId).to.equal('mergeSite');
    expect(doc.components.schemas.MergeConflict.required).to.deep.equal(['doc', 'path']);
  });
});
