/**
 * Everything an operation needs, passed in: the index, the per-site repositories, the clock,
 * the id source, limits and a logger. One context per store; nothing module-global.
 */
import type { Knex } from 'knex';
import type { Clock, IdSource } from '../clock.js';
import type { DiffPool } from '../diff/pool.js';
import type { SiteRepo } from '../objects/index.js';
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from './actor.js';
import type { WriteGate } from '../locks/writeGate.js';
import type { SearchIndexer } from '../search/indexer.js';

export interface SiteRef {
  /** ULID primary key in the index. */
  id: string;
  /** The public site id (a slug); also the repository's name. */
  slug: string;
  name: string;
  defaultLocale: string;
  locales: string[];
  domains: string[];
  createdAt: string;
  conflictPolicy: 'manual' | 'lww';
  typePolicies: Record<string, 'manual' | 'lww'>;
}

export interface Logger {
  info(data: object, msg: string): void;
  warn(data: object, msg: string): void;
}

export interface OpContext {
  knex: Knex;
  dbKind: 'pg' | 'pglite';
  dataDir: string;
  repo(siteSlug: string): SiteRepo;
  clock: Clock;
  newId: IdSource;
  nodeId: string;
  maxBytes: number;
  log: Logger;
  /** Test-only: names a write-path step at which the process kills itself (crash tests). */
  crashAt?: string;
  /** Base URL used in preview links. */
  publicUrl: string;
  /** Who is calling (an API key, through the gateway): named by every event written. */
  actor?: Actor;
  /** The actor of the call under way (store.runAs), for wrappers that cannot carry a context. */
  actorScope?: AsyncLocalStorage<Actor>;
  /** Worker threads for diffs: nothing heavy runs on the event loop. */
  diffs: DiffPool;
  /** Builds search vectors after their versions commit (lib/search/indexer.ts). */
  searchIndex: SearchIndexer;
  /**
   * PGlite only: `knex` opens every transaction under `gate.alone`, and a save of an existing
   * document runs its two short transactions on `direct` under `gate.withDocument`
   * (lib/locks/writeGate.ts), so saves do not hold the one connection across their Git writes.
   */
  writeGate?: { gate: WriteGate; direct: Knex };
}

/** Stamp columns for an entity row written now. */
export function stamp(ctx: OpContext): { node_id: string; hlc_modified: bigint } {
  return { node_id: ctx.nodeId, hlc_modified: ctx.clock.tick() };
}

// Keyed by the connection, not the context: a store view (withActor) shares its store's counts.
const crashCounts = new WeakMap<object, number>();

/**
 * The crash switch of the write path, for tests only (env VERSO_TEST_CRASH_AT=<step>[:<n>]):
 * SIGKILL the process the n-th time (default first) it reaches `step`, so recovery is tested
 * against a real kill, not a simulated one. Only ever set by tests.
 */
export function crashPoint(ctx: OpContext, step: string): void {
  if (!ctx.crashAt) return;
  const [spec = '', nth = '1'] = ctx.crashAt.split(':');
  // `throw@<step>` fails the operation there instead (an index write that errors, not a kill).
  const throwing = spec.startsWith('throw@');
  if ((throwing ? spec.slice(6) : spec) !== step) return;
  const seen = (crashCounts.get(ctx.knex) ?? 0) + 1;
  crashCounts.set(ctx.knex, seen);
  if (seen !== Number(nth)) return;
  if (throwing) throw new Error(`test failure injected at ${step}`);
  process.kill(process.pid, 'SIGKILL');
}
