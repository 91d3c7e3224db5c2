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

export async function migrateLatest(knex: Knex): Promise<void> {
  await knex.migrate.latest(config());
}

/** Rolls every migration back (down to zero). */
export async function migrateDownAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback(config(), true);
}

export async function migrationStatus(knex: Knex): Promise<{ applied: string[]; pending: string[] }> {
  const [applied, pending] = (await knex.migrate.list(config())) as [Array<{ name: string }>, Migration[]];
  return { applied: applied.map((m) => m.name), pending: pending.map((m) => m.name) };
}
