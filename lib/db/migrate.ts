/**
 * Runs verso's knex migrations from the explicit list in migrations/index.ts.
 */
import type { Knex } from 'knex';
import { migrations, type Migration } from '../../migrations/index.js';

class ListSource implements Knex.MigrationSource<Migration> {
  getMigrations(): Promise<Migration[]> {
    return Promise.resolve(migrations);
  }
  getMigrationName(m: Migration): string {
    return m.name;
  }
  getMigration(m: Migration): Promise<Knex.Migration> {
    return Promise.resolve({ up: m.up, down: m.down });
  }
}

const config = (): Knex.MigratorConfig => ({
  migrationSource: new ListSource(),
  tableName: 'verso_migrations',
  // Each migration runs in its own transaction; PGlite's single connection copes with that.
  disableMigrationsListValidation: true,
});

// Any constant; it only has to be the same in every verso process on one database.
const MIGRATION_LOCK_KEY = 7_243_917_051;

/**
 * Migrates to the latest schema, safely from any number of processes at once.
 *
 * knex's own migration lock is a row (`verso_migrations_lock.is_locked`): a second gateway
 * starting at the same moment fails with MigrationLocked instead of waiting, and a process
 * killed while migrating leaves the row locked, so no later start ever succeeds. On PostgreSQL
 * the migrators therefore queue on an advisory lock (released by the server when its session
 * ends, however the holder died); whoever holds it is the only migrator, so a row lock still
 * set is a dead process's and is cleared. PGlite has one process by construction (the data-dir
 * lock), so only the clearing applies.
 */
export async function migrateLatest(knex: Knex): Promise<void> {
  const run = async () => {
    await clearStaleMigrationLock(knex);
    await knex.migrate.latest(config());
  };
  if ((knex.client as { config?: { client?: unknown } }).config?.client !== 'pg') return run();
  // A transaction-scoped lock on its own pooled connection; knex migrates on other connections.
  await knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    await run();
  });
}

async function clearStaleMigrationLock(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('verso_migrations_lock')) await knex.migrate.forceFreeMigrationsLock(config());
}

/** Rolls every migration back (down to zero). */
export async function migrateDownAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback(config(), true);
}

export async function migrationStatus(knex: Knex): Promise<{ applied: string[]; pending: string[] }> {
  const [applied, pending] = (await knex.migrate.list(config())) as [Array<{ name: string }>, Migration[]];
  return { applied: applied.map((m) => m.name), pending: pending.map((m) => m.name) };
}
