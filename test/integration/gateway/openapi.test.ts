/**
 * The OpenAPI document is the contract: every CONTRACT.md route is in it, its schemas compile,
 * real answers match the record schemas it publishes, and /docs renders it without a CDN.
 */
import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { startGateway, type Gateway } from './harness.js';
import { describeEachDatabase } from '../../helpers/databases.js';

const addFormats = addFormatsModule.default;

// CONTRACT.md "HTTP gateway", in OpenAPI path syntax.
const CONTRACT_ROUTES: Array<[string, string]> = [
  ['post', '/v1/sites'],
  ['get', '/v1/sites'],
  ['get', '/v1/sites/{site}'],
  ['post', '/v1/keys'],
  ['get', '/v1/keys'],
  ['delete', '/v1/keys/{id}'],
  ['get', '/v1/sites/{site}/docs'],
  ['post', '/v1/sites/{site}/docs/{type}/{key}/{locale}/versions'],
  ['get', '/v1/sites/{site}/docs/{type}/{key}/{locale}/versions'],
  ['get', '/v1/sites/{site}/docs/{type}/{key}/{locale}/versions/{ref}'],
  ['get', '/v1/sites/{site}/docs/{type}/{key}/{locale}/diff'],
  ['post', '/v1/sites/{site}/docs/{type}/{key}/{locale}/publish'],
  ['post', '/v1/sites/{site}/docs/{type}/{key}/{locale}/unpublish'],
  ['post', '/v1/sites/{site}/docs/{type}/{key}/{locale}/rollback'],
  ['post', '/v1/sites/{site}/docs/{type}/{key}/{locale}/archive'],
  ['get', '/v1/sites/{site}/docs/{type}/{key}/{locale}/versions/{ref}/comments'],
  ['post', '/v1/sites/{site}/docs/{type}/{key}/{locale}/versions/{ref}/comments'],
  ['post', '/v1/sites/{site}/docs/{type}/{key}/{locale}/versions/{ref}/previews'],
  ['post', '/v1/sites/{site}/docs/{type}/{key}/{locale}/versions/{ref}/tags'],
  ['get', '/v1/sites/{site}/branches'],
  ['post', '/v1/sites/{site}/branches'],
  ['delete', '/v1/sites/{site}/branches/{name}'],
  ['post', '/v1/sites/{site}/branches/{name}/merge'],
  ['get', '/v1/sites/{site}/events'],
  ['get', '/v1/preview/{token}'],
  ['get', '/openapi.json'],
  ['get', '/healthz'],
  ['get', '/readyz'],
];
const PUBLIC = new Set(['/v1/preview/{token}', '/openapi.json', '/healthz', '/readyz', '/docs', '/v1/integrations/github/webhook']);
// Bodies written by someone else (a GitHub delivery): every field GitHub adds must be accepted.
const FOREIGN_BODIES = new Set(['/v1/integrations/github/webhook']);

describeEachDatabase('gateway: OpenAPI document and reference page', function (target) {
  this.timeout(120_000);
  let g: Gateway;
  let doc: any;
  let ajv: Ajv2020;
  const ID = 'https://verso.invalid/openapi.json';

  function check(name: string, value: unknown): void {
    const validate = ajv.getSchema(`${ID}#/components/schemas/${name}`);
    if (!validate) throw new Error(`no schema ${name}`);
    expect(validate(value), `${name}: ${JSON.stringify(validate.errors)}`).to.equal(true);
  }
  function checkPage(name: string, value: { items: unknown[]; next?: unknown }): void {
    expect(value.items).to.be.an('array');
    for (const item of value.items) check(name, item);
    if (value.next !== undefined) expect(value.next).to.be.a('string');
  }

  before(async () => {
    g = await startGateway({ target });
    const res = await g.call('GET', '/openapi.json');
    expect(res.status).to.equal(200);
    doc = res.body;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...doc, $id: ID });
  });
  after(async () => g && (await g.stop()));

  it('is OpenAPI 3.1 with every CONTRACT.md route', () => {
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.info.title).to.be.a('string');
    const missing = CONTRACT_ROUTES.filter(([m, p]) => !doc.paths[p]?.[m]).map(([m, p]) => `${m.toUpperCase()} ${p}`);
    expect(missing).to.deep.equal([]);
    expect(doc.paths['/docs']?.get).to.be.an('object');
  });

  it('declares every operation fully: id, parameters, responses, security', () => {
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const where = `${method} ${path}`;
        expect(op.operationId, where).to.be.a('string');
        expect(ids.has(op.operationId), `${where} duplicate operationId`).to.equal(false);
        ids.add(op.operationId);
        expect(op.summary, where).to.be.a('string');
        const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name).sort();
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(declared, where).to.deep.equal(inPath);
        expect(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), `${where} success response`).to.equal(true);
        expect(op.responses['400'], where).to.be.an('object');
        if (PUBLIC.has(path)) expect(op.security, where).to.deep.equal([]);
        else expect(op.responses['401'], where).to.be.an('object');
        if (op.requestBody && !FOREIGN_BODIES.has(path)) {
          const schema = op.requestBody.content['application/json'].schema;
          expect(schema.additionalProperties, `${where} refuses unknown fields`).to.equal(false);
        }
      }
    }
    expect(doc.components.securitySchemes.apiKey).to.include({ type: 'http', scheme: 'bearer' });
  });

  it('compiles: every request and record schema is valid JSON Schema 2020-12 and every $ref resolves', () => {
    for (const name of Object.keys(doc.components.schemas)) {
      expect(ajv.getSchema(`${ID}#/components/schemas/${name}`), name).to.be.a('function');
    }
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const body = op.requestBody?.content['application/json'].schema;
        if (body) expect(() => ajv.compile({ $id: `https://verso.invalid/${op.operationId}`, ...body }), `${method} ${path}`).to.not.throw();
        for (const [status, r] of Object.entries<any>(op.responses)) {
          if (r.$ref) expect(r.$ref, `${method} ${path} ${status}`).to.match(/^#\/components\/responses\/\w+$/);
          if (r.$ref) expect(doc.components.responses[r.$ref.split('/').pop()], r.$ref).to.be.an('object');
        }
      }
    }
  });

  it('describes what the gateway really answers', async () => {
    const key = g.adminKey;
    const site = await g.call('POST', '/v1/sites', { key, body: { id: 'acme', name: 'Acme', locales: ['en', 'fr'] } });
    check('Site', site.body);
    const base = '/v1/sites/acme/docs/page/home/en';
    const v1 = await g.call('POST', `${base}/versions`, { key, body: { content: { title: 'One' }, author: { name: 'Ada', email: 'ada@example.com' } } });
    check('Version', v1.body);
    await g.call('POST', `${base}/versions`, { key, body: { content: { title: 'Two' } } });
    check('VersionWithContent', (await g.call('GET', `${base}/versions/2`, { key })).body);
    checkPage('Version', (await g.call('GET', `${base}/versions`, { key })).body);
    checkPage('DocSummary', (await g.call('GET', '/v1/sites/acme/docs', { key })).body);
    for (const format of ['unified', 'json', 'words']) check('Diff', (await g.call('GET', `${base}/diff?from=1&to=2&format=${format}`, { key })).body);
    check('Version', (await g.call('POST', `${base}/publish`, { key, body: {} })).body);
    check('Version', (await g.call('POST', `${base}/rollback`, { key, body: { to: 1 } })).body);
    check('Branch', (await g.call('POST', '/v1/sites/acme/branches', { key, body: { name: 'redesign' } })).body);
    checkPage('Branch', (await g.call('GET', '/v1/sites/acme/branches', { key })).body);
    checkPage('ChangeEvent', (await g.call('GET', '/v1/sites/acme/events', { key })).body);
    checkPage('Site', (await g.call('GET', '/v1/sites', { key })).body);
    check('CreatedKey', (await g.call('POST', '/v1/keys', { key, body: { role: 'viewer' } })).body);
    checkPage('ApiKey', (await g.call('GET', '/v1/keys', { key })).body);
    check('Error', (await g.call('GET', '/v1/sites/nope', { key })).body);
    check('Health', (await g.call('GET', '/healthz')).body);
  });

  it('renders /docs as a self-contained HTML reference of every route', async () => {
    const res = await g.call('GET', '/docs');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    for (const [method, path] of CONTRACT_ROUTES) {
      expect(res.text, `${method} ${path}`).to.contain(path.replace(/&/g, '&amp;'));
    }
    expect(res.text).to.not.match(/<script/i);
    expect(res.text).to.not.match(/(?:src|href)="https?:/i);
    expect(res.text).to.contain('Unknown fields are refused');
  });
});
