/**
 * The site_policies migration on every database target: its CHECKs refuse what a merge could
 * not act on (an unknown policy, a type that is not a slug, a policy map that is not an object),
 * accept what SiteHandle.update writes, and its down removes the columns alone.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { monotonicFactory } from 'ulid';
import { openDatabase, type Database } from '../../lib/db/connection.js';
import { migrateLatest } from '../../lib/db/migrate.js';
import * as sitePolicies from '../../migrations/20261201000007_site_policies.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../helpers/databases.js';

const ulid = monotonicFactory();
const NODE = ulid();

async function refused(q: PromiseLike<unknown>, constraint: string): Promise<void> {
  let caught: { code?: string; constraint?: string } | undefined;
  try {
    await q;
  } catch (err) {
    caught = err as { code?: string; constraint?: string };
  }
  expect(caught, `expected ${constraint} to refuse`).to.not.equal(undefined);
  expect(caught!.code).to.equal('23514');
  expect(caught!.constraint).to.equal(constraint);
}

async function columns(knex: Knex): Promise<string[]> {
  const r = (await knex.raw(`SELECT column_name FROM information_schema.columns WHERE table_name = 'sites' ORDER BY column_name`)) as { rows: Array<{ column_name: string }> };
  return r.rows.map((x) => x.column_name);
}

for (const target of databaseTargets()) {
  describe(`site_policies migration on ${target}`, function () {
    let testDb: TestDatabase | undefined;
    let db: Database | undefined;
    const knex = (): Knex => db!.knex;
    let n = 0;
    const site = (over: Record<string, unknown> = {}) => ({ id: ulid(), slug: `policy-${n++}`, name: 'x', default_locale: 'en', node_id: NODE, hlc_modified: 1, ...over });

    before(async function () {
      testDb = await freshDatabase(target);
      db = await openDatabase({ dataDir: testDb.dataDir, databaseUrl: testDb.databaseUrl });
      await migrateLatest(db.knex);
    });
    after(async function () {
      await db?.close();
      await testDb?.cleanup();
    });

    it('defaults existing and new sites to manual with no type overrides', async function () {
      const row = site();
      await knex()('sites').insert(row);
      const got = await knex()('sites').where({ id: row.id }).first();
      expect(got).to.deep.include({ conflict_policy: 'manual', type_policies: {} });
    });

    it('accepts the two policies and a map of slug → policy', async function () {
      await knex()('sites').insert(site({ conflict_policy: 'lww', type_policies: JSON.stringify({ page: 'manual', 'prd-v2': 'lww' }) }));
    });

    it('refuses an unknown policy, a non-slug type, an unknown per-type policy and a non-object map', async function () {
      await refused(knex()('sites').insert(site({ conflict_policy: 'newest' })), 'sites_conflict_policy');
      for (const bad of [{ Page: 'lww' }, { 'a/b': 'lww' }, { ['x'.repeat(64)]: 'lww' }, { page: 'newest' }, { page: 1 }, { page: null }, ['page'], 'lww']) {
        await refused(knex()('sites').insert(site({ type_policies: JSON.stringify(bad) })), 'sites_type_policies');
      }
    });

    it('rolls back to the sites table without the columns, and re-applies', async function () {
      await knex().transaction((trx) => sitePolicies.down(trx));
      expect(await columns(knex())).to.not.include.members(['conflict_policy']);
      expect(await columns(knex())).to.not.include.members(['type_policies']);
      await knex().transaction((trx) => sitePolicies.up(trx));
      expect(await columns(knex())).to.include.members(['conflict_policy', 'type_policies']);
    });
  });
}
