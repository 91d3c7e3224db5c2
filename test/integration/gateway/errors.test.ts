/**
 * Bad requests get a clear 4xx with a stable code in the contract shape, internal failures
 * leak nothing, and the server keeps serving through all of it.
 */
import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import type { EmbeddedStore } from '../../../lib/types.js';
import { startGateway, type CallResult, type Gateway } from './harness.js';
import { describeEachDatabase } from '../../helpers/databases.js';

function expectError(res: CallResult, status: number, code: string): void {
  expect(res.status, res.text.slice(0, 300)).to.equal(status);
  expect(res.headers.get('content-type')).to.match(/^application\/json/);
  expect(res.body).to.have.keys(['error']);
  expect(res.body.error).to.have.keys(['code', 'message', 'details']);
  expect(res.body.error.code).to.equal(code);
  expect(res.body.error.message).to.be.a('string').and.not.equal('');
}

const DOC = '/v1/sites/acme/docs/post/hello/en';

/** A store wrapper whose saves wait at a gate: `started` when one arrives, `release()` opens it. */
function gatedSaves(): { wrap: (store: EmbeddedStore) => EmbeddedStore; started: Promise<void>; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const started = new Promise<void>((r) => (entered = r));
  const wrap = (store: EmbeddedStore): EmbeddedStore => ({
    ...store,
    site: (id) => {
      const site = store.site(id);
      return {
        ...site,
        doc: (type, k, locale) => {
          const d = site.doc(type, k, locale);
          return {
            ...d,
            save: async (input) => {
              entered();
              await gate;
              return d.save(input);
            },
          };
        },
      };
    },
  });
  return { wrap, started, release };
}

describeEachDatabase('gateway: bad requests and failures', function (target) {
  this.timeout(120_000);
  let g: Gateway;
  let key: string;

  before(async () => {
    g = await startGateway({ target, maxBytes: 64 * 1024, bodyLimit: '256kb' });
    key = g.adminKey;
    await g.store.createSite({ id: 'acme', name: 'Acme', locales: ['en', 'fr'] });
    await g.store.site('acme').doc('post', 'hello', 'en').save({ content: { title: 'Hello' } });
  });
  after(async () => g && (await g.stop()));
  afterEach(async () => {
    // Whatever the test sent, the server still answers.
    expect((await g.call('GET', '/healthz')).status).to.equal(200);
    expect((await g.call('GET', `${DOC}/versions/1`, { key })).status).to.equal(200);
  });

  it('malformed JSON → 400 invalid_input', async () => {
    for (const raw of ['{', '{"content": }', 'not json', '{"a":1}}', '"a string"', '12']) {
      expectError(await g.call('POST', `${DOC}/versions`, { key, raw }), 400, 'invalid_input');
    }
  });

  it('a body that is not JSON → 400 invalid_input', async () => {
    const res = await g.call('POST', `${DOC}/versions`, { key, raw: 'content=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectError(res, 400, 'invalid_input');
    expect(res.body.error.message).to.contain('JSON');
  });

  it('unknown fields in a body or a query → 400 invalid_input naming them', async () => {
    const body = await g.call('POST', `${DOC}/versions`, { key, body: { content: { a: 1 }, colour: 'red' } });
    expectError(body, 400, 'invalid_input');
    expect(body.body.error.message).to.contain('colour');
    expect(body.body.error.details.errors[0].path).to.equal('colour');
    const nested = await g.call('POST', `${DOC}/versions`, { key, body: { content: { a: 1 }, author: { name: 'A', role: 'x' } } });
    expectError(nested, 400, 'invalid_input');
    const query = await g.call('GET', `${DOC}/versions?limit=2&sort=asc`, { key });
    expectError(query, 400, 'invalid_input');
    expect(query.body.error.message).to.contain('sort');
    expectError(await g.call('POST', '/v1/sites', { key, body: { id: 'x', name: 'X', owner: 'me' } }), 400, 'invalid_input');
    expectError(await g.call('POST', `${DOC}/unpublish`, { key, body: { now: true } }), 400, 'invalid_input');
  });

  it('wrong types, missing fields and bad enums → 400 invalid_input', async () => {
    expectError(await g.call('POST', `${DOC}/versions`, { key, body: {} }), 400, 'invalid_input');
    expectError(await g.call('POST', `${DOC}/versions`, { key, body: { content: 1, kind: 'final' } }), 400, 'invalid_input');
    expectError(await g.call('POST', `${DOC}/rollback`, { key, body: { to: true } }), 400, 'invalid_input');
    expectError(await g.call('POST', '/v1/keys', { key, body: { role: 'root' } }), 400, 'invalid_input');
    expectError(await g.call('POST', '/v1/sites', { key, body: [] }), 400, 'invalid_input');
    expectError(await g.call('GET', `${DOC}/diff?from=1`, { key }), 400, 'invalid_input');
    expectError(await g.call('GET', `${DOC}/diff?from=1&to=1&format=html`, { key }), 400, 'invalid_input');
  });

  it('oversized bodies → 413 too_large, from the body limit and from the store', async () => {
    const huge = 'x'.repeat(300 * 1024);
    expectError(await g.call('POST', `${DOC}/versions`, { key, body: { content: huge, format: 'text' } }), 413, 'too_large');
    const overStore = 'y'.repeat(100 * 1024);
    const res = await g.call('POST', '/v1/sites/acme/docs/post/big/en/versions', { key, body: { content: overStore, format: 'text' } });
    expectError(res, 413, 'too_large');
  });

  it('bad ids in the path → 400 invalid_input naming the parameter', async () => {
    const bad = [
      '/v1/sites/Acme',
      '/v1/sites/a_b/docs',
      '/v1/sites/acme/docs/Post/hello/en/versions',
      '/v1/sites/acme/docs/post/hel%2Flo/en/versions',
      '/v1/sites/acme/docs/post/x.lock/en/versions',
      '/v1/sites/acme/docs/post/hello/EN_us/versions',
      `/v1/sites/acme/docs/post/${'k'.repeat(70)}/en/versions`,
      '/v1/sites/acme/docs/post/hello/en/versions/..%2F..',
      '/v1/sites/acme/docs/post/hello/en/versions/%E0%A4%A',
      '/v1/sites/acme/branches/Main/merge',
    ];
    for (const path of bad) {
      const method = path.endsWith('/merge') ? 'POST' : 'GET';
      const res = await g.call(method, path, { key, ...(method === 'POST' ? { body: {} } : {}) });
      expectError(res, 400, 'invalid_input');
    }
    const first = await g.call('GET', '/v1/sites/acme/docs/Post/hello/en/versions', { key });
    expect(first.body.error.details.errors[0].path).to.equal('path.type');
    expect(first.body.error.message).to.equal('path.type must be a slug (a-z, 0-9 and inner hyphens, 1-63 characters), got "Post"');
    expectError(await g.call('DELETE', '/v1/keys/not-a-ulid', { key }), 400, 'invalid_input');
  });

  it('unknown things → 404 not_found: sites, docs, versions, keys, branches, routes', async () => {
    expectError(await g.call('GET', '/v1/sites/nope', { key }), 404, 'not_found');
    expectError(await g.call('GET', '/v1/sites/acme/docs/post/nope/en/versions/1', { key }), 404, 'not_found');
    expectError(await g.call('GET', `${DOC}/versions/99`, { key }), 404, 'not_found');
    expectError(await g.call('DELETE', '/v1/keys/01ARZ3NDEKTSV4RRFFQ69G5FAV', { key }), 404, 'not_found');
    expectError(await g.call('DELETE', '/v1/sites/acme/branches/nope', { key }), 404, 'not_found');
    expectError(await g.call('GET', '/v1/nothing', { key }), 404, 'not_found');
    expectError(await g.call('GET', '/nothing'), 404, 'not_found');
    expectError(await g.call('PUT', '/v1/sites', { key, body: {} }), 404, 'not_found');
  });

  it('bad cursors and page sizes → 400 invalid_input', async () => {
    for (const q of ['cursor=garbage!', 'cursor=eyJ4IjoxfQ', 'limit=0', 'limit=abc', 'limit=1.5', 'limit=100000', 'limit=1&limit=2']) {
      expectError(await g.call('GET', `${DOC}/versions?${q}`, { key }), 400, 'invalid_input');
      expectError(await g.call('GET', `/v1/sites/acme/docs?${q}`, { key }), 400, 'invalid_input');
    }
    expectError(await g.call('GET', '/v1/sites/acme/events?after=garbage', { key }), 400, 'invalid_input');
  });

  it('pages with the cursor a previous page gave', async () => {
    const d = g.store.site('acme').doc('post', 'paged', 'en');
    for (let i = 0; i < 5; i++) await d.save({ content: { i } });
    const p1 = await g.call('GET', '/v1/sites/acme/docs/post/paged/en/versions?limit=2', { key });
    expect(p1.body.items.map((v: { number: number }) => v.number)).to.deep.equal([5, 4]);
    const p2 = await g.call('GET', `/v1/sites/acme/docs/post/paged/en/versions?limit=2&cursor=${encodeURIComponent(p1.body.next)}`, { key });
    expect(p2.body.items.map((v: { number: number }) => v.number)).to.deep.equal([3, 2]);
  });

  it('a stale baseVersion → 409 conflict', async () => {
    const d = g.store.site('acme').doc('post', 'racy', 'en');
    await d.save({ content: { n: 1 } });
    await d.save({ content: { n: 2 } });
    expectError(await g.call('POST', '/v1/sites/acme/docs/post/racy/en/versions', { key, body: { content: { n: 3 }, baseVersion: 1 } }), 409, 'conflict');
    expectError(await g.call('POST', '/v1/sites', { key, body: { id: 'acme', name: 'Again' } }), 409, 'conflict');
  });

  it('honours an Idempotency-Key header', async () => {
    const path = '/v1/sites/acme/docs/post/idem/en/versions';
    const headers = { 'idempotency-key': 'req-42' };
    const a = await g.call('POST', path, { key, body: { content: { x: 1 } }, headers });
    const b = await g.call('POST', path, { key, body: { content: { x: 1 } }, headers });
    expect(a.status).to.equal(201);
    expect(b.body.number).to.equal(a.body.number);
    expect(b.body.commit).to.equal(a.body.commit);
  });

  it('echoes X-Request-Id (its own or a fresh one) and sets security headers', async () => {
    const mine = await g.call('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(mine.headers.get('x-request-id')).to.equal('abc-123');
    const fresh = await g.call('GET', '/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(fresh.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    expect(fresh.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(fresh.headers.get('content-security-policy')).to.contain("default-src 'none'");
    expect(fresh.headers.get('x-powered-by')).to.equal(null);
    const err = await g.call('GET', '/v1/sites/nope', { key });
    expect(err.headers.get('x-request-id')).to.be.a('string');
  });

  it('logs each request with its id and never the key, the Authorization header or a preview token', async () => {
    const before = g.logs.length;
    await g.call('GET', '/v1/sites', { key, headers: { 'x-request-id': 'log-check-1' } });
    await g.call('GET', '/v1/sites', { key: 'vk_wrongwrongwrongwrong' });
    await g.call('GET', '/v1/preview/secret-token-value-123?site=acme');
    await g.call('GET', `/ui/sites?key=${key}`);
    const lines = g.logs.slice(before).join('');
    expect(lines).to.contain('log-check-1');
    expect(lines).to.not.contain(key);
    expect(lines).to.not.contain('vk_wrongwrong');
    expect(lines.toLowerCase()).to.not.contain('authorization');
    expect(lines).to.not.contain('secret-token-value-123');
    expect(g.logs.join('')).to.not.contain(key);
  });
});

describeEachDatabase('gateway: internal errors, rate limits, readiness and shutdown', function (target) {
  this.timeout(120_000);
  let g: Gateway;

  before(async () => {
    g = await startGateway({ target });
    await g.store.createSite({ id: 'acme', name: 'Acme' });
  });
  after(async () => g && (await g.stop()));

  it('answers an unexpected failure with 500 internal and no detail', async () => {
    const s = await g.serve({
      wrap: (store) => ({
        ...store,
        listSites: async () => {
          throw new Error('connect ECONNREFUSED password=hunter2 SELECT * FROM api_keys');
        },
      }),
    });
    const res = await s.call('GET', '/v1/sites', { key: g.adminKey });
    expectError(res, 500, 'internal');
    expect(res.body.error.message).to.equal('internal error');
    expect(res.text).to.not.contain('hunter2').and.not.contain('SELECT').and.not.contain('ECONNREFUSED');
    expect(res.body.error.details.requestId).to.equal(res.headers.get('x-request-id'));
    expect(s.logs.join('')).to.contain('ECONNREFUSED');
    expect((await s.call('GET', '/healthz')).status).to.equal(200);
  });

  it('limits requests per key with 429 rate_limited and Retry-After', async () => {
    const s = await g.serve({ rateLimit: { windowMs: 60_000, max: 3 } });
    const other = (await g.store.createKey({ role: 'viewer' })).key;
    for (let i = 0; i < 3; i++) expect((await s.call('GET', '/v1/sites', { key: g.adminKey })).status).to.equal(200);
    const limited = await s.call('GET', '/v1/sites', { key: g.adminKey });
    expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).to.be.greaterThan(0);
    // Another key has its own budget; health checks are never limited.
    expect((await s.call('GET', '/v1/sites', { key: other })).status).to.equal(200);
    for (let i = 0; i < 5; i++) expect((await s.call('GET', '/healthz')).status).to.equal(200);
    // Requests without a valid key share the address's budget, so guessing keys runs out too.
    const guesses = [];
    for (let i = 0; i < 4; i++) guesses.push((await s.call('GET', '/v1/sites', { key: `vk_guess-${i}-0000000000000000` })).status);
    expect(guesses).to.deep.equal([401, 401, 401, 429]);
  });

  it('reports not ready (503) when the store does not answer', async () => {
    const s = await g.serve({ wrap: (store) => ({ ...store, listSites: () => new Promise(() => undefined) }) });
    expect((await s.call('GET', '/readyz')).status).to.equal(503);
    expect((await s.call('GET', '/healthz')).status).to.equal(200);
    expect((await g.call('GET', '/readyz')).status).to.equal(200);
  });

  it('finishes an in-flight save on close, then refuses connections', async () => {
    const { wrap, started, release } = gatedSaves();
    const s = await g.serve({ wrap });
    const inFlight = s.call('POST', '/v1/sites/acme/docs/post/slow/en/versions', { key: g.adminKey, body: { content: { a: 1 } } });
    await started;
    let closed = false;
    const closing = s.server.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(closed, 'close() waited for the save').to.equal(false);
    release();
    const res = await inFlight;
    expect(res.status).to.equal(201);
    await closing;
    const url = new URL(s.url);
    const refused = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: '/healthz' }, () => resolve('answered'));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      req.end();
    });
    expect(refused).to.equal('ECONNREFUSED');
    expect((await g.store.site('acme').doc('post', 'slow', 'en').show(1)).content).to.deep.equal({ a: 1 });
  });

  it('on close, also waits for a save whose client hung up before the answer', async () => {
    const { wrap, started, release } = gatedSaves();
    const s = await g.serve({ wrap });
    const abort = new AbortController();
    const hungUp = fetch(`${s.url}/v1/sites/acme/docs/post/abandoned/en/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${g.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: { left: true } }),
      signal: abort.signal,
    }).catch((e: Error) => e.name);
    await started;
    abort.abort();
    expect(await hungUp).to.equal('AbortError');
    let closed = false;
    const closing = s.server.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(closed, 'close() waits for the save, not only for the connection').to.equal(false);
    release();
    await closing;
    expect((await g.store.site('acme').doc('post', 'abandoned', 'en').show(1)).content).to.deep.equal({ left: true });
  });
});
