/**
 * The auth matrix: every role (and no key, a bad key, a revoked key) × its own site / another
 * site × every read, document-write, site-write and admin route gives the right status, and no
 * answer to a key scoped to one site carries another site's data.
 */
import { expect } from 'chai';
import type { Role } from '../../../lib/types.js';
import { startGateway, type CallResult, type Gateway } from './harness.js';
import { describeEachDatabase } from '../../helpers/databases.js';

type Access = 'site:read' | 'site:write-docs' | 'site:write' | 'site:admin' | 'admin' | 'authenticated';

interface Case {
  name: string;
  access: Access;
  /** Success status; `pending` operations may answer 501 not_implemented until their issue lands. */
  ok: number;
  pending?: boolean;
  /** Builds the request for site `s`; `fresh` is true when it is expected to succeed (prepare real targets). */
  request(g: Gateway, s: string, fresh: boolean): Promise<{ method: string; path: string; body?: unknown }>;
}

interface Caller {
  label: string;
  role?: Role;
  site?: string;
  key: (g: Gateway) => string | undefined;
  /** Expected status for a failure before any role check (no key, bad key). */
  unauthenticated?: boolean;
}

const OWN = 'alpha';
const OTHER = 'beta';
const MARK = 'BETA-ONLY-CONTENT';
let counter = 0;
const unique = (p: string) => `${p}-${++counter}`;
const docPath = (s: string, key = 'seed') => `/v1/sites/${s}/docs/post/${key}/en`;

async function freshDoc(g: Gateway, s: string): Promise<string> {
  const key = unique('case');
  const d = g.store.site(s).doc('post', key, 'en');
  await d.save({ content: { n: 1 } });
  await d.save({ content: { n: 2 } });
  await d.publish();
  return key;
}

const cases: Case[] = [
  { name: 'get site', access: 'site:read', ok: 200, request: async (_g, s) => ({ method: 'GET', path: `/v1/sites/${s}` }) },
  { name: 'list docs', access: 'site:read', ok: 200, request: async (_g, s) => ({ method: 'GET', path: `/v1/sites/${s}/docs` }) },
  { name: 'log', access: 'site:read', ok: 200, request: async (_g, s) => ({ method: 'GET', path: `${docPath(s)}/versions` }) },
  { name: 'show', access: 'site:read', ok: 200, request: async (_g, s) => ({ method: 'GET', path: `${docPath(s)}/versions/1` }) },
  { name: 'diff', access: 'site:read', ok: 200, request: async (_g, s) => ({ method: 'GET', path: `${docPath(s)}/diff?from=1&to=2` }) },
  { name: 'branches', access: 'site:read', ok: 200, request: async (_g, s) => ({ method: 'GET', path: `/v1/sites/${s}/branches` }) },
  { name: 'events', access: 'site:read', ok: 200, request: async (_g, s) => ({ method: 'GET', path: `/v1/sites/${s}/events` }) },
  { name: 'list comments', access: 'site:read', ok: 200, pending: true, request: async (_g, s) => ({ method: 'GET', path: `${docPath(s)}/versions/1/comments` }) },
  {
    name: 'save',
    access: 'site:write-docs',
    ok: 201,
    request: async (_g, s) => ({ method: 'POST', path: `${docPath(s, unique('saved'))}/versions`, body: { content: { a: 1 } } }),
  },
  {
    name: 'publish',
    access: 'site:write-docs',
    ok: 200,
    request: async (g, s, fresh) => ({ method: 'POST', path: `${docPath(s, fresh ? await freshDoc(g, s) : 'seed')}/publish`, body: { ref: 1 } }),
  },
  {
    name: 'unpublish',
    access: 'site:write-docs',
    ok: 204,
    request: async (g, s, fresh) => ({ method: 'POST', path: `${docPath(s, fresh ? await freshDoc(g, s) : 'seed')}/unpublish` }),
  },
  {
    name: 'rollback',
    access: 'site:write-docs',
    ok: 201,
    request: async (g, s, fresh) => ({ method: 'POST', path: `${docPath(s, fresh ? await freshDoc(g, s) : 'seed')}/rollback`, body: { to: 1 } }),
  },
  {
    name: 'archive',
    access: 'site:write-docs',
    ok: 204,
    request: async (g, s, fresh) => ({ method: 'POST', path: `${docPath(s, fresh ? await freshDoc(g, s) : 'seed')}/archive`, body: {} }),
  },
  {
    name: 'comment',
    access: 'site:write-docs',
    ok: 201,
    pending: true,
    request: async (_g, s) => ({ method: 'POST', path: `${docPath(s)}/versions/1/comments`, body: { body: 'Looks good', author: 'Rita' } }),
  },
  {
    name: 'preview',
    access: 'site:write-docs',
    ok: 201,
    pending: true,
    request: async (_g, s) => ({ method: 'POST', path: `${docPath(s)}/versions/1/previews`, body: { expiresIn: 60 } }),
  },
  {
    name: 'tag',
    access: 'site:write-docs',
    ok: 201,
    pending: true,
    request: async (g, s, fresh) => ({ method: 'POST', path: `${docPath(s, fresh ? await freshDoc(g, s) : 'seed')}/versions/1/tags`, body: { name: '1.0.0' } }),
  },
  // ---- review (0.2): the prepared targets exist only when the call is expected to succeed
  { name: 'list tags', access: 'site:read', ok: 200, request: async (_g, s) => ({ method: 'GET', path: `${docPath(s)}/tags` }) },
  { name: 'list labels', access: 'site:read', ok: 200, request: async (_g, s) => ({ method: 'GET', path: `${docPath(s)}/labels` }) },
  {
    name: 'label history',
    access: 'site:read',
    ok: 200,
    request: async (g, s, fresh) => {
      if (fresh) await g.store.site(s).doc('post', 'seed', 'en').label('read-me', 1, { author: 'Seeder' });
      return { method: 'GET', path: `${docPath(s)}/labels/read-me/history` };
    },
  },
  { name: 'list previews', access: 'site:read', ok: 200, request: async (_g, s) => ({ method: 'GET', path: `${docPath(s)}/previews` }) },
  {
    name: 'move label',
    access: 'site:write-docs',
    ok: 200,
    request: async (_g, s) => ({ method: 'PUT', path: `${docPath(s)}/labels/${unique('lab')}`, body: { ref: 1 } }),
  },
  {
    name: 'remove label',
    access: 'site:write-docs',
    ok: 204,
    request: async (g, s, fresh) => {
      const name = unique('gone');
      if (fresh) await g.store.site(s).doc('post', 'seed', 'en').label(name, 1, { author: 'Seeder' });
      return { method: 'DELETE', path: `${docPath(s)}/labels/${name}` };
    },
  },
  {
    name: 'resolve comment',
    access: 'site:write-docs',
    ok: 200,
    request: async (g, s) => {
      const c = await g.store.site(s).doc('post', 'seed', 'en').comment(1, { body: 'resolve me', author: 'Seeder' });
      return { method: 'POST', path: `${docPath(s)}/comments/${c.id}/resolve`, body: {} };
    },
  },
  {
    name: 'delete comment',
    access: 'site:write-docs',
    ok: 204,
    request: async (g, s) => {
      const c = await g.store.site(s).doc('post', 'seed', 'en').comment(1, { body: 'delete me', author: 'Seeder' });
      return { method: 'DELETE', path: `${docPath(s)}/comments/${c.id}` };
    },
  },
  {
    name: 'revoke preview',
    access: 'site:write-docs',
    ok: 204,
    request: async (g, s) => {
      const p = await g.store.site(s).doc('post', 'seed', 'en').preview(1);
      return { method: 'DELETE', path: `${docPath(s)}/previews/${p.id}` };
    },
  },
  {
    name: 'create branch',
    access: 'site:write',
    ok: 201,
    request: async (_g, s) => ({ method: 'POST', path: `/v1/sites/${s}/branches`, body: { name: unique('b') } }),
  },
  {
    name: 'delete branch',
    access: 'site:write',
    ok: 204,
    request: async (g, s, fresh) => {
      const name = fresh ? (await g.store.site(s).createBranch(unique('b'))).name : 'keep';
      return { method: 'DELETE', path: `/v1/sites/${s}/branches/${name}` };
    },
  },
  {
    name: 'merge',
    access: 'site:write',
    ok: 200,
    pending: true,
    request: async (g, s, fresh) => {
      const name = fresh ? (await g.store.site(s).createBranch(unique('b'))).name : 'keep';
      return { method: 'POST', path: `/v1/sites/${s}/branches/${name}/merge`, body: {} };
    },
  },
  {
    name: 'merge (site route)',
    access: 'site:write',
    ok: 200,
    request: async (g, s, fresh) => {
      const name = fresh ? (await g.store.site(s).createBranch(unique('b'))).name : 'keep';
      return { method: 'POST', path: `/v1/sites/${s}/merge`, body: { source: name, dryRun: true } };
    },
  },
  { name: 'update site', access: 'site:admin', ok: 200, request: async (_g, s) => ({ method: 'PATCH', path: `/v1/sites/${s}`, body: { conflictPolicy: 'manual' } }) },
];

const adminCases: Case[] = [
  { name: 'create site', access: 'admin', ok: 201, request: async () => ({ method: 'POST', path: '/v1/sites', body: { id: unique('new'), name: 'New' } }) },
  { name: 'list keys', access: 'admin', ok: 200, request: async () => ({ method: 'GET', path: '/v1/keys' }) },
  { name: 'create key', access: 'admin', ok: 201, request: async () => ({ method: 'POST', path: '/v1/keys', body: { role: 'viewer', site: OWN } }) },
  {
    name: 'revoke key',
    access: 'admin',
    ok: 204,
    request: async (g, _s, fresh) => {
      const id = fresh ? (await g.store.createKey({ role: 'viewer' })).id : (await g.store.listKeys())[0]!.id;
      return { method: 'DELETE', path: `/v1/keys/${id}` };
    },
  },
  { name: 'list sites', access: 'authenticated', ok: 200, request: async () => ({ method: 'GET', path: '/v1/sites' }) },
];

const READ = new Set<Role>(['admin', 'editor', 'viewer', 'integration']);
const WRITE_DOCS = new Set<Role>(['admin', 'editor', 'integration']);
const WRITE = new Set<Role>(['admin', 'editor']);
const ADMIN = new Set<Role>(['admin']);

function expected(caller: Caller, c: Case, site: string): number {
  if (!caller.role) return 401;
  if (c.access === 'authenticated') return c.ok;
  if (c.access === 'admin') return caller.role === 'admin' && caller.site === undefined ? c.ok : 403;
  if (caller.site !== undefined && caller.site !== site) return 404;
  const allowed = c.access === 'site:read' ? READ : c.access === 'site:write-docs' ? WRITE_DOCS : c.access === 'site:admin' ? ADMIN : WRITE;
  return allowed.has(caller.role) ? c.ok : 403;
}

describeEachDatabase('gateway: auth matrix', function (target) {
  this.timeout(300_000);
  let g: Gateway;
  const keys = new Map<string, string>();
  let revoked = '';

  const callers: Caller[] = [
    { label: 'no key', key: () => undefined },
    { label: 'an unknown key', key: () => 'vk_' + 'x'.repeat(43) },
    { label: 'a revoked key', key: () => revoked },
    { label: 'admin', role: 'admin', key: (gw) => gw.adminKey },
  ];
  for (const role of ['admin', 'editor', 'viewer', 'integration'] as const) {
    callers.push({ label: `${role} scoped to ${OWN}`, role, site: OWN, key: () => keys.get(`${role}:${OWN}`) });
  }
  for (const role of ['editor', 'viewer', 'integration'] as const) {
    callers.push({ label: `${role} for every site`, role, key: () => keys.get(`${role}:*`) });
  }

  before(async () => {
    g = await startGateway({ target });
    for (const s of [OWN, OTHER]) {
      await g.store.createSite({ id: s, name: s.toUpperCase(), locales: ['en'] });
      const d = g.store.site(s).doc('post', 'seed', 'en');
      await d.save({ content: { text: s === OTHER ? MARK : 'alpha content' } });
      await d.save({ content: { text: s === OTHER ? `${MARK} 2` : 'alpha content 2' } });
      await d.publish();
      await g.store.site(s).createBranch('keep');
    }
    for (const role of ['admin', 'editor', 'viewer', 'integration'] as const) {
      keys.set(`${role}:${OWN}`, (await g.store.createKey({ role, site: OWN })).key);
    }
    for (const role of ['editor', 'viewer', 'integration'] as const) keys.set(`${role}:*`, (await g.store.createKey({ role })).key);
    const r = await g.store.createKey({ role: 'admin' });
    await g.store.revokeKey(r.id);
    revoked = r.key;
  });
  after(async () => g && (await g.stop()));

  for (const caller of callers) {
    it(`${caller.label}: every route on its own site, another site, and the admin routes`, async () => {
      const mismatches: string[] = [];
      const runs: Array<{ c: Case; site: string }> = [
        ...cases.flatMap((c) => [OWN, OTHER].map((site) => ({ c, site }))),
        ...adminCases.map((c) => ({ c, site: OWN })),
      ];
      for (const { c, site } of runs) {
        const want = expected(caller, c, site);
        const req = await c.request(g, site, want === c.ok);
        const res: CallResult = await g.call(req.method, req.path, { key: caller.key(g), body: req.body });
        const okPending = c.pending && want === c.ok && res.status === 501 && res.body?.error?.code === 'not_implemented';
        if (res.status !== want && !okPending) {
          mismatches.push(`${c.name} on ${site}: ${req.method} ${req.path} → ${res.status} ${res.text.slice(0, 160)} (expected ${want})`);
        }
        if (res.status >= 400) {
          expect(res.body?.error?.code, `${c.name}: error shape`).to.be.a('string');
          const code = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' }[res.status as 401 | 403 | 404];
          if (code && !okPending) expect(res.body.error.code).to.equal(code);
        }
        if (caller.site === OWN || !caller.role) {
          expect(res.text, `${c.name} on ${site} leaked another site's content`).to.not.contain(MARK);
        }
      }
      expect(mismatches, mismatches.join('\n')).to.deep.equal([]);
    });
  }

  it('lists only its own site to a scoped key, and every site to an unscoped one', async () => {
    const scoped = await g.call('GET', '/v1/sites', { key: keys.get(`viewer:${OWN}`) });
    expect(scoped.body.items.map((s: { id: string }) => s.id)).to.deep.equal([OWN]);
    const all = await g.call('GET', '/v1/sites', { key: keys.get('viewer:*') });
    expect(all.body.items.map((s: { id: string }) => s.id)).to.include.members([OWN, OTHER]);
  });

  it('answers a hidden site exactly like a site that does not exist', async () => {
    const key = keys.get(`editor:${OWN}`);
    const hidden = await g.call('GET', `/v1/sites/${OTHER}`, { key });
    const missing = await g.call('GET', '/v1/sites/gamma', { key: g.adminKey });
    expect(hidden.status).to.equal(404);
    expect(missing.status).to.equal(404);
    expect(hidden.body.error.message.replace(OTHER, 'X')).to.equal(missing.body.error.message.replace('gamma', 'X'));
    expect(Object.keys(hidden.body.error.details)).to.deep.equal(Object.keys(missing.body.error.details));
    // Even a doc that exists there, and a write a viewer could never make.
    const write = await g.call('POST', `${docPath(OTHER)}/versions`, { key: keys.get(`viewer:${OWN}`), body: { content: {} } });
    expect(write.status).to.equal(404);
  });

  it('refuses a malformed Authorization header with 401', async () => {
    for (const header of ['Basic abc', 'Bearer', 'Bearer a b', g.adminKey]) {
      const res = await g.call('GET', '/v1/sites', { headers: { authorization: header } });
      expect(res.status, header).to.equal(401);
      expect(res.body.error.code).to.equal('unauthorized');
    }
  });

  it('needs no key for health, readiness, the reference and preview links', async () => {
    for (const path of ['/healthz', '/readyz', '/openapi.json', '/docs']) {
      expect((await g.call('GET', path)).status, path).to.equal(200);
    }
    const preview = await g.call('GET', '/v1/preview/no-such-token');
    expect(preview.status).to.not.equal(401);
  });

  it('refuses a revoked key at once', async () => {
    const k = await g.store.createKey({ role: 'viewer' });
    expect((await g.call('GET', '/v1/sites', { key: k.key })).status).to.equal(200);
    expect((await g.call('DELETE', `/v1/keys/${k.id}`, { key: g.adminKey })).status).to.equal(204);
    expect((await g.call('GET', '/v1/sites', { key: k.key })).status).to.equal(401);
  });

  it('shows a created key once and never lists it', async () => {
    const created = await g.call('POST', '/v1/keys', { key: g.adminKey, body: { role: 'editor', site: OWN, name: 'ci' } });
    expect(created.status).to.equal(201);
    expect(created.body.key).to.be.a('string');
    const listed = await g.call('GET', '/v1/keys', { key: g.adminKey });
    expect(listed.text).to.not.contain(created.body.key);
    expect(listed.body.items.find((k: { id: string }) => k.id === created.body.id)).to.include({ role: 'editor', site: OWN, name: 'ci' });
  });
});
