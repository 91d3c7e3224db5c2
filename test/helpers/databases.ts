/**
 * "Run on both databases" (DESIGN.md "Databases": same migrations, same queries, same tests on
 * PGlite and PostgreSQL). A suite loops over databaseTargets() and asks freshDatabase() for an
 * empty database per target; cleanup() removes every trace of it.
 *
 * VERSO_TEST_DB picks the targets: 'pglite', 'postgres' or 'both' (the default). PostgreSQL is
 * reached through DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); each
 * freshDatabase() call creates its own database there so suites never see each other's rows.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type DatabaseTarget = 'pglite' | 'postgres';

export interface TestDatabase {
  name: DatabaseTarget;
  /** Set for postgres: the URL of the fresh database. Unset for pglite (embedded in dataDir). */
  databaseUrl?: string;
  /** A new empty temporary directory; PGlite keeps its files in `<dataDir>/pg`. */
  dataDir: string;
  /** Drops the database (postgres) and removes dataDir. Safe to call twice. */
  cleanup(): Promise<void>;
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseTargets(): DatabaseTarget[] {
  const choice = (process.env.VERSO_TEST_DB ?? 'both').trim().toLowerCase();
  switch (choice) {
    case 'pglite':
      return ['pglite'];
    case 'postgres':
      return ['postgres'];
    case '':
    case 'both':
      return ['pglite', 'postgres'];
    default:
      throw new Error(`VERSO_TEST_DB must be pglite, postgres or both, got ${JSON.stringify(choice)}`);
  }
}

/** The server URL fresh databases are created on (DATABASE_URL or the local default). */
export function baseDatabaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

async function withServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  await withServer(async (client) => {
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } catch (err) {
      // WITH (FORCE) is PostgreSQL 13+; on 12 end the sessions ourselves, then drop.
      if ((err as { code?: string }).code !== '42601') throw err;
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      await client.query(`DROP DATABASE IF EXISTS "${name}"`);
    }
  });
}

/**
 * A migrated, empty PGlite database to copy: opening a new PGlite and running every migration
 * took ~6.9 s here, copying this and opening it ~1.9 s, and the suite makes well over a hundred.
 * Built once per set of migrations (tmp + rename, so concurrent test processes agree); the
 * migrations themselves are exercised by test/integration/migrations.test.ts (down and up).
 */
let pgliteTemplate: Promise<string> | undefined;
function pgliteTemplateDir(): Promise<string> {
  return (pgliteTemplate ??= (async () => {
    const { migrations } = await import('../../migrations/index.js');
    const pkg = JSON.parse(await readFile(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as { version: string };
    const key = createHash('sha1').update(pkg.version).update(migrations.map((m) => m.name).join(',')).digest('hex').slice(0, 12);
    const dir = join(tmpdir(), `verso-test-pglite-template-${key}`);
    if (await stat(join(dir, 'pg')).then(() => true, () => false)) return join(dir, 'pg');
    const building = await mkdtemp(join(tmpdir(), 'verso-test-template-'));
    const { openDatabase } = await import('../../lib/db/connection.js');
    const { migrateLatest } = await import('../../lib/db/migrate.js');
    const db = await openDatabase({ dataDir: building });
    try {
      await migrateLatest(db.knex);
    } finally {
      await db.close();
    }
    await rm(join(building, 'pg.lock'), { force: true });
    // Another process may have won the race; its template is as good as ours.
    await rename(building, dir).catch(() => rm(building, { recursive: true, force: true }));
    return join(dir, 'pg');
  })());
}

export async function freshDatabase(target: DatabaseTarget): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), `verso-test-${target}-`));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  if (target === 'pglite') {
    await cp(await pgliteTemplateDir(), join(dataDir, 'pg'), { recursive: true });
    let done = false;
    return {
      name: 'pglite',
      dataDir,
      cleanup: async () => {
        if (done) return;
        done = true;
        await removeDataDir();
      },
    };
  }

  // Only [a-z0-9_] in the name, so quoting it in CREATE/DROP DATABASE is safe.
  const dbName = `verso_test_${randomBytes(8).toString('hex')}`;
  try {
    await withServer((client) => client.query(`CREATE DATABASE "${dbName}"`));
  } catch (err) {
    await removeDataDir();
    throw new Error(`cannot create a test database on ${redact(baseDatabaseUrl())} (set DATABASE_URL, or VERSO_TEST_DB=pglite)`, { cause: err });
  }
  const url = new URL(baseDatabaseUrl());
  url.pathname = `/${dbName}`;
  let done = false;
  return {
    name: 'postgres',
    databaseUrl: url.toString(),
    dataDir,
    cleanup: async () => {
      if (done) return;
      done = true;
      try {
        await dropDatabase(dbName);
      } finally {
        await removeDataDir();
      }
    },
  };
}

function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}

/**
 * `describe(title on <target>)` once per database target, the body given the target, so a
 * suite written for one database runs on each without re-indenting it.
 */
export function describeEachDatabase(title: string, body: (this: Mocha.Suite, target: DatabaseTarget) => void): void {
  for (const target of databaseTargets()) {
    describe(`${title} on ${target}`, function () {
      body.call(this, target);
    });
  }
}
