/**
 * The review migration (20261201000004) on every database target: its action lists extend
 * whatever the constraints held (so migrations adding actions in the same release compose in
 * any order), label_moves refuses half-written moves, and its down takes back only its own.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { monotonicFactory } from 'ulid';
import { openDatabase, type Database } from '../../../lib/db/connection.js';
import { migrateLatest } from '../../../lib/db/migrate.js';
import * as review from '../../../migrations/20261201000004_review.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';

const ulid = monotonicFactory();
const NODE = ulid();
const stamp = () => ({ node_id: NODE, hlc_modified: 1 });
const HASH = 'a'.repeat(40);

async function checkOf(knex: Knex, table: string, like: string): Promise<string> {
  const r = (await knex.raw(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = '${table}'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%${like}%'`,
  )) as { rows: Array<{ def: string }> };
  expect(r.rows, `${table} CHECK on ${like}`).to.have.length(1);
  return r.rows[0]!.def;
}

for (const target of databaseTargets()) {
  describe(`review migration on ${target}`, function () {
    this.timeout(120_000);
    let testDb: TestDatabase | undefined;
    let db: Database | undefined;
    const knex = (): Knex => db!.knex;
    let siteId = '';
    let documentId = '';

    before(async function () {
      testDb = await freshDatabase(target);
      db = await openDatabase({ dataDir: testDb.dataDir, databaseUrl: testDb.databaseUrl });
      await migrateLatest(db.knex);
      siteId = ulid();
      documentId = ulid();
      await knex()('sites').insert({ id: siteId, slug: 'rev', name: 'Rev', default_locale: 'en', ...stamp() });
      await knex()('locales').insert({ id: ulid(), site_id: siteId, code: 'en', ...stamp() });
      await knex()('documents').insert({ id: documentId, site_id: siteId, type: 'prompt', key: 'bot', locale: 'en', format: 'text', latest_number: 0, ...stamp() });
    });
    after(async function () {
      await db?.close();
      await testDb?.cleanup();
    });

    const move = (over: Record<string, unknown> = {}) => ({
      id: ulid(), site_id: siteId, document_id: documentId, name: 'production', from_version: null, to_version: 1, to_commit: HASH,
      label_commit: HASH, moved_by_name: 'Ann', moved_at: new Date(), ...stamp(), ...over,
    });

    it('adds the review actions to both lists and keeps every action that was there', async function () {
      for (const def of [await checkOf(knex(), 'change_events', 'action'), await checkOf(knex(), 'webhooks', 'cardinality(events)')]) {
        for (const a of [...review.REVIEW_ACTIONS, 'version.create', 'tag.create', 'index.repair']) expect(def, a).to.contain(`'${a}'`);
      }
      await knex()('change_events').insert({ id: ulid(), site_id: siteId, action: 'label.move', hlc: 1, node_id: NODE });
    });

    it('stores a label move and refuses a target without its commit or a move that moves nothing', async function () {
      await knex()('label_moves').insert(move());
      const refuse = async (row: Record<string, unknown>) => {
        let failed = false;
        await knex().transaction(async (trx) => {
          await trx('label_moves').insert(row);
        }).catch(() => (failed = true));
        expect(failed, JSON.stringify(row)).to.equal(true);
      };
      await refuse(move({ label_commit: 'b'.repeat(40), to_commit: null }));
      await refuse(move({ label_commit: 'c'.repeat(40), to_version: null, to_commit: null }));
      await refuse(move({ label_commit: 'd'.repeat(40), name: 'Not A Slug' }));
    });

    it('down takes back only its own actions, and up brings them back', async function () {
      await knex().transaction(async (trx) => review.down(trx));
      const def = await checkOf(knex(), 'change_events', 'action');
      for (const a of review.REVIEW_ACTIONS) expect(def).to.not.contain(`'${a}'`);
      expect(def).to.contain("'tag.create'");
      expect((await knex().raw(`SELECT to_regclass('label_moves') AS t`)).rows[0].t).to.equal(null);
      await knex().transaction(async (trx) => review.up(trx));
      expect(await checkOf(knex(), 'change_events', 'action')).to.contain("'label.move'");
    });
  });
}
