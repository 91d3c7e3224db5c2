/**
 * One call per operation of the gateway's OpenAPI document, made through a client generated
 * from that document (openapi-typescript types + openapi-fetch), in an order where each call
 * finds what it needs. The test runs them against a real gateway and checks that every
 * operation in the document was called. A new route: add its entry here (keyed by operationId),
 * after regenerating the types (see generate.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from 'openapi-fetch';
import type { paths } from './generated/schema.js';

export interface CallContext {
  /** Signed in with an admin key. */
  api: Client<paths>;
  adminKey: string;
  /** `http://git:<admin key>@host/git/<site>.git` */
  gitRemote(site: string): string;
  /** Runs the git CLI in `workDir`. */
  git(args: string[]): Promise<string>;
  workDir: string;
  /** Values one call leaves for a later one (a token, a key id). */
  state: Map<string, string>;
}

type Call = (c: CallContext) => Promise<void>;

/** The answer had this status; otherwise throws with what came back. */
function expectStatus(r: { response: Response; error?: unknown }, status: number): void {
  if (r.response.status !== status) {
    throw new Error(`${r.response.url}: expected ${status}, got ${r.response.status} ${JSON.stringify(r.error ?? null)}`);
  }
}

function stateOf(c: CallContext, name: string): string {
  const v = c.state.get(name);
  if (v === undefined) throw new Error(`no ${name} yet: an earlier call should have left it`);
  return v;
}

const doc = { site: 'shop', type: 'page', key: 'home', locale: 'en' };
const old = { ...doc, key: 'old' };

export const CALLS = {
  createSite: async (c) => {
    const r = await c.api.POST('/v1/sites', { body: { id: 'shop', name: 'Acme', locales: ['en', 'fr'], domains: ['shop.localhost'] } });
    expectStatus(r, 201);
    if (r.data?.id !== 'shop') throw new Error('createSite answered another site');
  },
  listSites: async (c) => expectStatus(await c.api.GET('/v1/sites'), 200),
  getSite: async (c) => expectStatus(await c.api.GET('/v1/sites/{site}', { params: { path: { site: 'shop' } } }), 200),
  updateSite: async (c) =>
    expectStatus(await c.api.PATCH('/v1/sites/{site}', { params: { path: { site: 'shop' } }, body: { name: 'Shop', typePolicies: { page: 'manual' } } }), 200),
  save: async (c) => {
    for (const title of ['One', 'Two']) {
      const r = await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions', {
        params: { path: doc, header: { 'Idempotency-Key': `save-${title}` } },
        body: { content: { title, tags: ['a'] }, author: { name: 'Ada Lovelace', email: 'ada@example.com' }, metadata: { ticket: 7 } },
      });
      expectStatus(r, 201);
      // metadata is a record a client can read, not Record<string, never>.
      if (r.data?.metadata.ticket !== 7) throw new Error('metadata did not come back');
    }
    expectStatus(await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions', { params: { path: old }, body: { content: { title: 'Old' } } }), 201);
  },
  log: async (c) => expectStatus(await c.api.GET('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions', { params: { path: doc, query: { limit: 10 } } }), 200),
  show: async (c) => expectStatus(await c.api.GET('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions/{ref}', { params: { path: { ...doc, ref: '2' } } }), 200),
  listDocs: async (c) => expectStatus(await c.api.GET('/v1/sites/{site}/docs', { params: { path: { site: 'shop' }, query: { type: 'page' } } }), 200),
  diff: async (c) => {
    const r = await c.api.GET('/v1/sites/{site}/docs/{type}/{key}/{locale}/diff', { params: { path: doc, query: { from: '1', to: '2', format: 'json' } } });
    expectStatus(r, 200);
    const ops = (r.data?.fields ?? []).map((f) => f.op);
    if (!ops.includes('change')) throw new Error(`diff fields: ${JSON.stringify(r.data?.fields)}`);
  },
  // No body at all: publish and unpublish bodies are optional.
  publish: async (c) => expectStatus(await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/publish', { params: { path: doc } }), 200),
  unpublish: async (c) => expectStatus(await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/unpublish', { params: { path: doc } }), 204),
  rollback: async (c) =>
    expectStatus(await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/rollback', { params: { path: doc }, body: { to: 1, message: 'Back to one' } }), 201),
  archive: async (c) => expectStatus(await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/archive', { params: { path: old } }), 204),
  comment: async (c) => {
    const r = await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions/{ref}/comments', { params: { path: { ...doc, ref: '1' } }, body: { body: 'Nice', author: 'Grace' } });
    expectStatus(r, 201);
    c.state.set('commentId', r.data!.id);
  },
  listComments: async (c) => expectStatus(await c.api.GET('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions/{ref}/comments', { params: { path: { ...doc, ref: '1' } } }), 200),
  resolveComment: async (c) =>
    expectStatus(
      await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/comments/{comment}/resolve', { params: { path: { ...doc, comment: stateOf(c, 'commentId') } }, body: { resolved: true } }),
      200,
    ),
  deleteComment: async (c) =>
    expectStatus(await c.api.DELETE('/v1/sites/{site}/docs/{type}/{key}/{locale}/comments/{comment}', { params: { path: { ...doc, comment: stateOf(c, 'commentId') } } }), 204),
  createPreview: async (c) => {
    const r = await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions/{ref}/previews', { params: { path: { ...doc, ref: '2' } }, body: { expiresIn: 3600, maxUses: 5 } });
    expectStatus(r, 201);
    c.state.set('previewToken', r.data!.token);
    c.state.set('previewId', r.data!.id);
  },
  listPreviews: async (c) => expectStatus(await c.api.GET('/v1/sites/{site}/docs/{type}/{key}/{locale}/previews', { params: { path: doc } }), 200),
  resolvePreview: async (c) => expectStatus(await c.api.GET('/v1/preview/{token}', { params: { path: { token: stateOf(c, 'previewToken') } } }), 200),
  revokePreview: async (c) =>
    expectStatus(await c.api.DELETE('/v1/sites/{site}/docs/{type}/{key}/{locale}/previews/{preview}', { params: { path: { ...doc, preview: stateOf(c, 'previewId') } } }), 204),
  tag: async (c) =>
    expectStatus(await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions/{ref}/tags', { params: { path: { ...doc, ref: '2' } }, body: { name: '1.0.0' } }), 201),
  listTags: async (c) => expectStatus(await c.api.GET('/v1/sites/{site}/docs/{type}/{key}/{locale}/tags', { params: { path: doc } }), 200),
  label: async (c) =>
    expectStatus(await c.api.PUT('/v1/sites/{site}/docs/{type}/{key}/{locale}/labels/{label}', { params: { path: { ...doc, label: 'production' } }, body: { ref: 2 } }), 200),
  listLabels: async (c) => expectStatus(await c.api.GET('/v1/sites/{site}/docs/{type}/{key}/{locale}/labels', { params: { path: doc } }), 200),
  labelHistory: async (c) =>
    expectStatus(await c.api.GET('/v1/sites/{site}/docs/{type}/{key}/{locale}/labels/{label}/history', { params: { path: { ...doc, label: 'production' } } }), 200),
  removeLabel: async (c) =>
    expectStatus(await c.api.DELETE('/v1/sites/{site}/docs/{type}/{key}/{locale}/labels/{label}', { params: { path: { ...doc, label: 'production' } } }), 204),
  createBranch: async (c) => expectStatus(await c.api.POST('/v1/sites/{site}/branches', { params: { path: { site: 'shop' } }, body: { name: 'redesign' } }), 201),
  listBranches: async (c) => expectStatus(await c.api.GET('/v1/sites/{site}/branches', { params: { path: { site: 'shop' } } }), 200),
  merge: async (c) => {
    const onBranch = { ...doc, key: 'landing' };
    expectStatus(await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions', { params: { path: onBranch }, body: { content: { title: 'Landing' }, branch: 'redesign' } }), 201);
    expectStatus(await c.api.POST('/v1/sites/{site}/branches/{name}/merge', { params: { path: { site: 'shop', name: 'redesign' } }, body: { message: 'Merge the redesign' } }), 200);
  },
  mergeSite: async (c) =>
    expectStatus(await c.api.POST('/v1/sites/{site}/merge', { params: { path: { site: 'shop' } }, body: { source: 'redesign', dryRun: true } }), 200),
  deleteBranch: async (c) => expectStatus(await c.api.DELETE('/v1/sites/{site}/branches/{name}', { params: { path: { site: 'shop', name: 'redesign' } } }), 204),
  events: async (c) => {
    const r = await c.api.GET('/v1/sites/{site}/events', { params: { path: { site: 'shop' }, query: { limit: 100 } } });
    expectStatus(r, 200);
    if (!r.data?.items.some((e) => e.action === 'version.publish')) throw new Error('no publish event');
  },
  createKey: async (c) => {
    const r = await c.api.POST('/v1/keys', { body: { role: 'viewer', site: 'shop', name: 'reader' } });
    expectStatus(r, 201);
    c.state.set('keyId', r.data!.id);
    // A site that does not exist is the 404 the document declares.
    expectStatus(await c.api.POST('/v1/keys', { body: { role: 'viewer', site: 'nope' } }), 404);
  },
  listKeys: async (c) => expectStatus(await c.api.GET('/v1/keys'), 200),
  revokeKey: async (c) => expectStatus(await c.api.DELETE('/v1/keys/{id}', { params: { path: { id: stateOf(c, 'keyId') } } }), 204),
  healthz: async (c) => expectStatus(await c.api.GET('/healthz'), 200),
  readyz: async (c) => expectStatus(await c.api.GET('/readyz'), 200),
  openapi: async (c) => expectStatus(await c.api.GET('/openapi.json'), 200),
  docs: async (c) => expectStatus(await c.api.GET('/docs', { parseAs: 'text' }), 200),
  gitInfoRefs: async (c) => {
    const basic = `Basic ${Buffer.from(`git:${c.adminKey}`).toString('base64')}`;
    const r = await c.api.GET('/git/{site}.git/info/refs', { params: { path: { site: 'shop' }, query: { service: 'git-upload-pack' } }, headers: { authorization: basic }, parseAs: 'text' });
    expectStatus(r, 200);
  },
  // git's own protocol: the git CLI speaks it.
  gitUploadPack: async (c) => void (await c.git(['clone', c.gitRemote('shop'), 'shop'])),
  gitReceivePack: async (c) => {
    await mkdir(join(c.workDir, 'shop', 'page', 'about'), { recursive: true });
    await writeFile(join(c.workDir, 'shop', 'page', 'about', 'en.json'), '{"title":"About"}\n');
    await c.git(['-C', 'shop', 'add', '.']);
    await c.git(['-C', 'shop', 'commit', '-m', 'About page']);
    await c.git(['-C', 'shop', 'push', 'origin', 'main']);
  },
  uiSignIn: async (c) => expectStatus(await c.api.GET('/ui/sign-in', { parseAs: 'text' }), 200),
  uiSites: async (c) => expectStatus(await c.api.GET('/ui/sites', { parseAs: 'text', redirect: 'manual' }), 303),
  // Webhooks (0.2). Receivers on loopback are refused unless VERSO_ALLOW_PRIVATE_REMOTES=1.
  createWebhook: async (c) => {
    process.env.VERSO_ALLOW_PRIVATE_REMOTES = '1';
    const r = await c.api.POST('/v1/sites/{site}/webhooks', { params: { path: { site: 'shop' } }, body: { url: 'http://127.0.0.1:9/verso-hook', events: ['version.create'] } });
    expectStatus(r, 201);
    c.state.set('webhookId', r.data!.id);
    // An event after the subscription, so that it has a delivery.
    expectStatus(await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions', { params: { path: doc }, body: { content: { title: 'Hooked' } } }), 201);
  },
  listWebhooks: async (c) => expectStatus(await c.api.GET('/v1/sites/{site}/webhooks', { params: { path: { site: 'shop' } } }), 200),
  listDeliveries: async (c) => {
    const r = await c.api.GET('/v1/sites/{site}/webhooks/{webhook}/deliveries', { params: { path: { site: 'shop', webhook: stateOf(c, 'webhookId') } } });
    expectStatus(r, 200);
    const first = r.data!.items[0];
    if (!first) throw new Error('the save after createWebhook made no delivery');
    c.state.set('deliveryId', first.id);
  },
  redeliver: async (c) =>
    expectStatus(await c.api.POST('/v1/sites/{site}/deliveries/{delivery}/redeliver', { params: { path: { site: 'shop', delivery: stateOf(c, 'deliveryId') } } }), 200),
  updateWebhook: async (c) => {
    const r = await c.api.PATCH('/v1/sites/{site}/webhooks/{webhook}', { params: { path: { site: 'shop', webhook: stateOf(c, 'webhookId') } }, body: { disabled: false } });
    expectStatus(r, 200);
    if (r.data!.disabled) throw new Error('a webhook updated with disabled: false is still disabled');
  },
  deleteWebhook: async (c) =>
    expectStatus(await c.api.DELETE('/v1/sites/{site}/webhooks/{webhook}', { params: { path: { site: 'shop', webhook: stateOf(c, 'webhookId') } } }), 204),
  search: async (c) => {
    const r = await c.api.GET('/v1/sites/{site}/search', { params: { path: { site: 'shop' }, query: { q: 'hooked' } } });
    expectStatus(r, 200);
    if (!r.data!.items.length) throw new Error('search found nothing for a saved word');
  },
  // Integrations (0.2): another verso behind this same gateway is the Git remote.
  createIntegration: async (c) => {
    process.env.VERSO_ALLOW_PRIVATE_REMOTES = '1';
    expectStatus(await c.api.POST('/v1/sites', { body: { id: 'mirror', name: 'Mirror', locales: ['en'] } }), 201);
    expectStatus(await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions', { params: { path: { ...doc, site: 'mirror', key: 'readme' } }, body: { content: { title: 'Mirror' } } }), 201);
    const remote = new URL(c.gitRemote('mirror'));
    const url = `${remote.protocol}//${remote.host}${remote.pathname}`;
    const r = await c.api.POST('/v1/sites/{site}/integrations', { params: { path: { site: 'shop' } }, body: { name: 'mirror', kind: 'git', url, branch: 'main', username: 'verso', token: c.adminKey } });
    expectStatus(r, 201);
  },
  listIntegrations: async (c) => expectStatus(await c.api.GET('/v1/sites/{site}/integrations', { params: { path: { site: 'shop' } } }), 200),
  updateIntegration: async (c) =>
    expectStatus(await c.api.PATCH('/v1/sites/{site}/integrations/{name}', { params: { path: { site: 'shop', name: 'mirror' } }, body: { token: c.adminKey } }), 200),
  // Into the mirror site's Git smart HTTP; the mirror indexes the commit as an ordinary push.
  push: async (c) =>
    expectStatus(await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/push', { params: { path: doc }, body: { integration: 'mirror', ref: 'draft' } }), 200),
  mappings: async (c) => expectStatus(await c.api.GET('/v1/sites/{site}/docs/{type}/{key}/{locale}/mappings', { params: { path: doc } }), 200),
  checkIntegration: async (c) =>
    expectStatus(await c.api.POST('/v1/sites/{site}/integrations/{name}/check', { params: { path: { site: 'shop', name: 'mirror' } } }), 200),
  pull: async (c) => {
    // The remote moves on (a save on the mirror site is a commit on its main), then pull takes it.
    expectStatus(await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions', { params: { path: { ...doc, site: 'mirror' } }, body: { content: { title: 'Edited in the mirror' } } }), 201);
    expectStatus(await c.api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/pull', { params: { path: doc }, body: { integration: 'mirror' } }), 200);
  },
  deleteIntegration: async (c) =>
    expectStatus(await c.api.DELETE('/v1/sites/{site}/integrations/{name}', { params: { path: { site: 'shop', name: 'mirror' } } }), 204),
  // Without a valid signature GitHub's delivery is refused (no integration's secret verifies it).
  githubWebhook: async (c) =>
    expectStatus(await c.api.POST('/v1/integrations/github/webhook', { body: { ref: 'refs/heads/main' }, headers: { 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=00' } } as never), 401),
} satisfies Record<string, Call>;
