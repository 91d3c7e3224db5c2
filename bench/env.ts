/**
 * Where the benchmarks run: fresh databases on the PostgreSQL server or fresh PGlite data dirs,
 * a temp root for Git repositories, and the options every scenario sees.
 *
 * PGlite's initdb takes 5-20 s on this machine, so one migrated PGlite data dir is built once
 * (cached in the OS temp dir, keyed by the migration list and the PGlite version) and copied for
 * each scenario that needs a fresh embedded database (~1 s).
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrations } from '../migrations/index.js';
import { openDatabase } from '../lib/db/connection.js';
import { migrateLatest } from '../lib/db/migrate.js';
import { openStore } from '../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../lib/types.js';

export type DbKind = 'pg' | 'pglite';

export interface BenchOptions {
  quick: boolean;
  dbs: DbKind[];
  /** Progress lines go to stderr so that `--json` keeps stdout clean. */
  log(msg: string): void;
  env: BenchEnv;
}

/** One scenario result line; the JSON output carries exactly these keys. */
export interface Row {
  name: string;
  unit: string;
  verso: number;
  baseline: number;
  baselineName: string;
  ratio: number;
}

export interface ScenarioResult {
  rows: Row[];
  /** Extra facts printed under the table (not part of the JSON contract). */
  notes?: string[];
}

export interface Scenario {
  name: string;
  run(opts: BenchOptions): Promise<ScenarioResult>;
}

/** A scenario that runs once per database the run asked for (--db), rows and notes in that order. */
export function perDb(name: string, runOn: (kind: DbKind, opts: BenchOptions) => Promise<ScenarioResult>): Scenario {
  return {
    name,
    async run(o) {
      const out: ScenarioResult = { rows: [], notes: [] };
      for (const kind of o.dbs) {
        const r = await runOn(kind, o);
        out.rows.push(...r.rows);
        out.notes!.push(...(r.notes ?? []));
      }
      return out;
    },
  };
}

/** A fresh database: a PGlite data dir, or a PostgreSQL database plus a data dir for Git. */
export interface Target {
  kind: DbKind;
  dataDir: string;
  databaseUrl?: string;
}

const SERVER_URL = process.env.VERSO_BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** A verso store and a baseline database of one kind, shared by the scenarios that need no seeding. */
export interface Shared {
  verso: EmbeddedStore;
  base: { knex: Knex; close(): Promise<void> };
}

export class BenchEnv {
  private readonly databases: string[] = [];
  private readonly shared = new Map<DbKind, Promise<Shared>>();
  private template: Promise<string> | undefined;
  private seq = 0;

  private constructor(readonly root: string) {}

  static async create(): Promise<BenchEnv> {
    return new BenchEnv(await mkdtemp(join(tmpdir(), 'verso-bench-')));
  }

  /** A new empty temp directory under the run's root. */
  async dir(name: string): Promise<string> {
    const d = join(this.root, `${name}-${++this.seq}`);
    await mkdir(d, { recursive: true });
    return d;
  }

  /** A fresh, migrated database of `kind`. */
  async target(kind: DbKind, name: string): Promise<Target> {
    const dataDir = await this.dir(`${kind}-${name}`);
    if (kind === 'pglite') {
      await cp(await this.pgliteTemplate(), join(dataDir, 'pg'), { recursive: true });
      return { kind, dataDir };
    }
    const db = `verso_bench_${process.pid}_${this.seq}_${name.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`.slice(0, 63);
    await withServer((c) => c.query(`CREATE DATABASE ${db}`));
    this.databases.push(db);
    const url = new URL(SERVER_URL);
    url.pathname = `/${db}`;
    return { kind, dataDir, databaseUrl: url.toString() };
  }

  private pgliteTemplate(): Promise<string> {
    this.template ??= buildTemplate();
    return this.template;
  }

  /**
   * One verso store and one snapshot database per kind for the scenarios that only add their own
   * site (save latency, throughput, diff): opening a PGlite copy costs seconds on this machine.
   */
  sharedFor(kind: DbKind): Promise<Shared> {
    let s = this.shared.get(kind);
    if (!s) {
      s = (async () => {
        const verso = await openVerso(await this.target(kind, 'shared'));
        const base = await openIndex(await this.target(kind, 'shared-snapshots'));
        return { verso, base };
      })();
      this.shared.set(kind, s);
    }
    return s;
  }

  /** Drops the run's databases (together: each DROP DATABASE waits for a checkpoint) and files. */
  async cleanup(): Promise<void> {
    for (const s of this.shared.values()) {
      const { verso, base } = await s.catch(() => ({ verso: undefined, base: undefined }));
      await verso?.close().catch(() => undefined);
      await base?.close().catch(() => undefined);
    }
    this.shared.clear();
    const dbs = this.databases.splice(0);
    await Promise.all([
      ...dbs.map((db) => withServer((c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)).catch(() => undefined)),
      rm(this.root, { recursive: true, force: true }),
    ]);
  }
}

async function withServer<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: SERVER_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function buildTemplate(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as { version: string };
  const key = createHash('sha1').update(pkg.version).update(migrations.map((m) => m.name).join(',')).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `verso-bench-pglite-template-${key}`);
  if (await stat(join(dir, 'pg')).then(() => true, () => false)) return join(dir, 'pg');
  const building = await mkdtemp(join(tmpdir(), 'verso-bench-template-'));
  const db = await openDatabase({ dataDir: building });
  try {
    await migrateLatest(db.knex);
  } finally {
    await db.close();
  }
  await rm(join(building, 'pg.lock'), { force: true });
  await rename(building, dir).catch(async () => rm(building, { recursive: true, force: true })); // a concurrent run won
  return join(dir, 'pg');
}

/** The verso store over a target, as an application opens it (reconcile skipped: timing only). */
export function openVerso(t: Target): Promise<EmbeddedStore> {
  return openStore({ dataDir: t.dataDir, databaseUrl: t.databaseUrl, skipReconcile: true });
}

/**
 * A knex on the target's database for seeding and for the baselines. For PGlite this opens the
 * embedded database itself, so the verso store over the same data dir must be closed meanwhile.
 */
export async function openIndex(t: Target): Promise<{ knex: Knex; close(): Promise<void> }> {
  if (t.kind === 'pglite') {
    const db = await openDatabase({ dataDir: t.dataDir });
    return { knex: db.knex, close: () => db.close() };
  }
  const knex = knexFactory({ client: 'pg', connection: t.databaseUrl, pool: { min: 0, max: 10 } });
  return { knex, close: () => knex.destroy() };
}

/** Sizes of all files under `dir`: apparent (st_size) and allocated on disk (st_blocks × 512). */
export async function bytesUnder(dir: string): Promise<{ apparent: number; allocated: number; files: number }> {
  const { readdir } = await import('node:fs/promises');
  const total = { apparent: 0, allocated: 0, files: 0 };
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = await bytesUnder(p);
      total.apparent += sub.apparent;
      total.allocated += sub.allocated;
      total.files += sub.files;
    } else if (e.isFile()) {
      const st = await stat(p);
      total.apparent += st.size;
      total.allocated += st.blocks * 512;
      total.files++;
    }
  }
  return total;
}
