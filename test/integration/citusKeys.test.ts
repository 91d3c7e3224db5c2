/**
 * Citus-ready keys (DESIGN.md "Databases": `site_id` on every site-owned table and in its keys, so
 * the schema can be distributed by `site_id` unchanged). A distributed table's primary key and
 * unique constraints must contain the distribution column, and a foreign key between two
 * distributed tables must include it on both sides (the rows then live on one node: colocation).
 * Read from the catalog after every migration, so a new table or key cannot slip past.
 *
 * `sites` has no site_id column: its `id` is the distribution value itself.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { openDatabase, type Database } from '../../lib/db/connection.js';
import { migrateLatest } from '../../lib/db/migrate.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../helpers/databases.js';

/**
 * The deliberate exceptions, each with its reason. They hold rows of no site (site_id NULL), which
 * neither a primary key nor a Citus distribution column may; on Citus they stay reference or
 * local tables (docs/scaling.md).
 */
const NOT_DISTRIBUTED: Record<string, string> = {
  api_keys: 'a key may be global (site_id NULL), and a request is authenticated by key_hash before its site is known',
  backups: 'the database backup of a set belongs to no site (site_id NULL); the catalogue is global, under backup_sets',
  change_events: 'key and global events have no site (site_id NULL); it keeps UNIQUE (site_id, id) so site-owned rows reference it with site_id',
};

interface KeyRow {
  table_name: string;
  key_name: string;
  columns: string[];
}

async function rows<T>(knex: Knex, sql: string): Promise<T[]> {
  return ((await knex.raw(sql)) as { rows: T[] }).rows;
}

for (const target of databaseTargets()) {
  describe(`Citus-ready keys on ${target}`, function () {
    let testDb: TestDatabase | undefined;
    let db: Database | undefined;
    const knex = (): Knex => db!.knex;

    before(async function () {
      testDb = await freshDatabase(target);
      db = await openDatabase({ dataDir: testDb.dataDir, databaseUrl: testDb.databaseUrl });
      await migrateLatest(db.knex);
    });

    after(async function () {
      await db?.close();
      await testDb?.cleanup();
    });

    const siteTables = async (): Promise<string[]> =>
      (await rows<{ table_name: string }>(
        knex(),
        `SELECT table_name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'site_id' ORDER BY 1`,
      )).map((r) => r.table_name);

    it('lists as exceptions only tables that have site_id and may hold rows of no site', async function () {
      const nullable = await rows<{ table_name: string }>(
        knex(),
        `SELECT table_name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'site_id' AND is_nullable = 'YES' ORDER BY 1`,
      );
      expect(nullable.map((r) => r.table_name)).to.have.members(Object.keys(NOT_DISTRIBUTED));
    });

    it('puts site_id in the primary key and every unique key of each site-owned table', async function () {
      const keys = await rows<KeyRow>(
        knex(),
        `SELECT t.relname AS table_name, x.relname AS key_name,
                array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) k JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k) AS columns
           FROM pg_index i
           JOIN pg_class t ON t.oid = i.indrelid AND t.relnamespace = 'public'::regnamespace
           JOIN pg_class x ON x.oid = i.indexrelid
          WHERE i.indisunique OR i.indisprimary
          ORDER BY 1, 2`,
      );
      const tables = (await siteTables()).filter((t) => !(t in NOT_DISTRIBUTED));
      expect(tables).to.include.members(['documents', 'content_versions', 'webhook_deliveries']);
      const offending = keys
        .filter((k) => tables.includes(k.table_name) && !k.columns.includes('site_id'))
        .map((k) => `${k.table_name}.${k.key_name} (${k.columns.join(', ')})`);
      expect(offending).to.deep.equal([]);
    });

    it('includes site_id on both sides of every foreign key from a site-owned table to one with site_id', async function () {
      const fks = await rows<{ table_name: string; conname: string; pairs: string[] }>(
        knex(),
        `SELECT c.conrelid::regclass::text AS table_name, c.conname,
                array(SELECT a.attname || '>' || b.attname
                        FROM unnest(c.conkey, c.confkey) AS k(src, dst)
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.src
                        JOIN pg_attribute b ON b.attrelid = c.confrelid AND b.attnum = k.dst) AS pairs
           FROM pg_constraint c
          WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
            AND EXISTS (SELECT 1 FROM pg_attribute r WHERE r.attrelid = c.confrelid AND r.attname = 'site_id')
          ORDER BY 1, 2`,
      );
      const tables = (await siteTables()).filter((t) => !(t in NOT_DISTRIBUTED));
      const offending = fks
        .filter((f) => tables.includes(f.table_name) && !f.pairs.includes('site_id>site_id'))
        .map((f) => `${f.table_name}.${f.conname} (${f.pairs.join(', ')})`);
      expect(offending).to.deep.equal([]);
    });
  });
}
