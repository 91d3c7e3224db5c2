/**
 * openStore: the embedded store. Git repositories under `<dataDir>/repos`, the index in PGlite
 * (`<dataDir>/pg`) or in PostgreSQL when a database URL is given. On open it migrates the index
 * and reconciles it with Git (commits a crash left unindexed, stale ref locks).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createClock, createIdSource } from '../clock.js';
import { openDatabase } from '../db/connection.js';
import { translateDbError } from '../db/pgErrors.js';
import { migrateLatest } from '../db/migrate.js';
import { createDiffPool } from '../diff/pool.js';
import { createSearchIndexer } from '../search/indexer.js';
import type { RowsResult } from '../diff/tasks.js';
import { ValidationError } from '../errors/index.js';
import { backup, restore, verifyBackup } from '../ops/backup/index.js';
import type { Logger, OpContext, SiteRef } from '../ops/context.js';
import { createSite } from '../ops/createSite.js';
import { authenticate } from '../ops/authenticate.js';
import { createKey, ensureAdminKey, listKeys, revokeKey } from '../ops/keys.js';
import { listSites, loadSite, toSite } from '../ops/loadSite.js';
import { resolvePreview } from '../ops/previews.js';
import { reconcile } from '../ops/reconcile.js';
import { reindex } from '../ops/reindex.js';
import { gc } from '../ops/gc.js';
import type { EmbeddedStore } from '../types.js';
import { embeddedSiteHandle } from './embedded/siteHandle.js';
import { guardErrors } from './embedded/guard.js';
import { checkCall } from '../schemas/calls.js';
import { startDispatcher } from '../webhooks/dispatcher.js';
import { receiveGithubWebhook } from '../ops/integrations/githubWebhook.js';
import { trackStore } from './inflight.js';
import { createRepoCache } from './repoCache.js';
import { gateTransactions, WriteGate } from '../locks/writeGate.js';

export interface OpenStoreOptions {
  dataDir?: string;
  databaseUrl?: string;
  nodeId?: string;
  /** Largest document body in bytes (default 10 MiB). */
  maxBytes?: number;
  logger?: Logger;
  /** Base URL for links (preview URLs). */
  publicUrl?: string;
  /** Skip the reconcile pass on open (fsck without --repair, so it can report; benchmarks). */
  skipReconcile?: boolean;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const SITE_TTL_MS = 5_000;
const silent: Logger = { info: () => undefined, warn: () => undefined };

/** A node id that persists in the data dir, so HLC stamps from this node are recognisable. */
async function nodeIdFor(dataDir: string, newId: () => string): Promise<string> {
  const file = join(dataDir, 'node-id');
  const existing = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (/^[0-9A-HJKMNP-TV-Z]{26}$/.test(existing)) return existing;
  const id = newId();
  await writeFile(file, id + '\n');
  return id;
}

/**
 * Opens the embedded store.
 * @throws ConflictError when another process holds the embedded database of this data dir.
 * @example
 *   const store = await openStore({ dataDir: '.verso' });
 *   await store.createSite({ id: 'acme', name: 'Acme', locales: ['en', 'fr'] });
 *   const v = await store.site('acme').doc('post', 'hello').save({ content: { title: 'Hi' } });
 */
export async function openStore(opts: OpenStoreOptions = {}): Promise<EmbeddedStore> {
  const dataDir = resolve(opts.dataDir ?? '.verso');
  // Explicit only: the CLI maps DATABASE_URL to this option, so tests and embedders choose.
  const databaseUrl = opts.databaseUrl;
  await mkdir(join(dataDir, 'repos'), { recursive: true });
  const newId = createIdSource();
  if (opts.nodeId !== undefined && !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(opts.nodeId)) throw new ValidationError('nodeId must be a ULID', { field: 'nodeId' });
  const nodeId = opts.nodeId ?? (await nodeIdFor(dataDir, newId));
  const db = await openDatabase({ dataDir, databaseUrl: databaseUrl || undefined, ...(opts.logger ? { log: opts.logger } : {}) }).catch((err: unknown) => {
    throw translateDbError(err) ?? err;
  });
  try {
    await migrateLatest(db.knex);
  } catch (err) {
    await db.close();
    throw err;
  }
  const repos = createRepoCache({ dataDir, ...(opts.logger ? { log: opts.logger } : {}) });
  // PGlite has one connection: saves hold their documents in-process instead (writeGate.ts).
  const gate = db.kind === 'pglite' ? new WriteGate() : undefined;
  const knex = gate ? gateTransactions(db.knex, gate) : db.knex;
  const log = opts.logger ?? silent;
  const ctx: OpContext = {
    knex,
    dbKind: db.kind,
    dataDir,
    repo: (slug) => repos.repo(slug),
    clock: createClock(),
    newId,
    nodeId,
    maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
    log,
    crashAt: process.env.VERSO_TEST_CRASH_AT || undefined,
    publicUrl: opts.publicUrl ?? process.env.VERSO_PUBLIC_URL ?? 'http://localhost:4000',
    actorScope: new AsyncLocalStorage(),
    diffs: createDiffPool(),
    searchIndex: createSearchIndexer({ db: knex, onError: (err) => log.warn({ err: String(err) }, 'building search vectors failed; the next search of the site builds them') }),
    ...(gate ? { writeGate: { gate, direct: db.knex } } : {}),
  };
  // A site's slug and id never change, but its settings (locales, domains) can, through another
  // gateway too: a found site is remembered for SITE_TTL_MS (docs/scaling.md), a save then
  // reads its locales from the index at most that stale. SiteHandle.update drops the entry
  // (this process sees its own update at once), and merge reads its policies fresh.
  const sites = new Map<string, { at: number; site: Promise<SiteRef> }>();
  const site = (id: string) => {
    const hit = sites.get(id);
    if (hit && Date.now() - hit.at < SITE_TTL_MS) return hit.site;
    const p = loadSite(ctx, id);
    sites.set(id, { at: Date.now(), site: p });
    p.catch(() => sites.delete(id));
    return p;
  };
  // A view per caller (withActor) shares everything but the actor its events name.
  const storeFor = (ctx: OpContext): EmbeddedStore => ({
    dataDir,
    databaseUrl: databaseUrl || undefined,
    createSite: async (input) => {
      checkCall.createSite(input);
      const created = await createSite({ ctx, input });
      sites.delete(created.slug);
      return toSite(created);
    },
    getSite: async (id) => toSite(await loadSite(ctx, id)),
    listSites: async () => (await listSites(ctx)).map(toSite),
    site: (id) => embeddedSiteHandle(ctx, () => site(id), () => sites.delete(id), id),
    createKey: async (input) => (checkCall.createKey(input), createKey({ ctx, input })),
    listKeys: () => listKeys({ ctx }),
    revokeKey: async (id) => (checkCall.revokeKey(id), revokeKey({ ctx, id })),
    authenticate: (key) => authenticate({ ctx, key }),
    resolvePreview: (token, opts) => resolvePreview({ ctx, token, host: opts?.host }),
    repoDir: (slug) => ctx.repo(slug).dir,
    reconcile: (o) => reconcile({ ctx, site: o?.site, repair: o?.repair ?? true, full: o?.full ?? false }),
    ensureAdminKey: (key, opts) => ensureAdminKey({ ctx, key, ...(opts?.name ? { name: opts.name } : {}) }),
    reindex: (o) => reindex({ ctx, site: o?.site, onProgress: o?.onProgress }),
    gc: (o) => gc({ ctx, site: o?.site }),
    backup: (o) => backup({ ctx, opts: o }),
    verifyBackup: (o) => verifyBackup({ ctx, ...o }),
    restore: async (o) => {
      const report = await restore({ ctx, opts: o });
      sites.clear();
      return report;
    },
    receiveGithubWebhook: (input) => receiveGithubWebhook({ ctx, input }),
    diffRows: ({ a, b, view, signal }) => ctx.diffs.run<RowsResult>({ kind: 'rows', view, a, b }, { signal }),
    withActor: (actor) => storeFor({ ...ctx, actor: { ...(actor.keyId ? { keyId: actor.keyId } : {}), ...(actor.name ? { name: actor.name } : {}) } }),
    runAs: (actor, fn) => ctx.actorScope!.run(actor, fn),
    startWebhookDispatcher: (o) => startDispatcher({ ctx, ...o }),
    close: async () => {
      await ctx.diffs.close();
      await ctx.searchIndex.idle();
      // A background pack in progress finishes first (its child would outlive us otherwise).
      await repos.idle();
      await db.close();
    },
  });
  const store = storeFor(ctx);
  const tracked = trackStore(store, { untracked: ['close'] });
  let closed: Promise<void> | undefined;
  const closeNow = store.close;
  // Operations in flight (a save, say) finish before anything closes under them.
  store.close = () => (closed ??= tracked.idle().then(closeNow));
  if (!opts.skipReconcile) {
    try {
      await store.reconcile({ repair: true });
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return guardErrors(tracked.store);
}
