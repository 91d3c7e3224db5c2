/**
 * The review migration (20261201000004) on every database target: its action lists extend
 * whatever the constraints held (so migrations adding actions in the same release compose in
 * any order), label_moves refuses half-written moves, and its down takes back only its own.
 */
import { migrations } from '../../../migrations/index.js';
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

    // The audit migration (20261201000005) replaced the listed CHECK on change_events.action by a
    // shape CHECK, with the list in lib/events/actions.ts: what counts is that the actions are stored.
    it('stores events of every review action, beside the earlier ones', async function () {
      for (const action of [...review.REVIEW_ACTIONS, 'version.create', 'tag.create', 'index.repair']) {
        await knex()('change_events').insert({ id: ulid(), site_id: siteId, action, hlc: 1, node_id: NODE });
      }
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

    it('down removes the label history table and up brings it back; events keep being stored', async function () {
      await knex()('change_events').whereIn('action', review.REVIEW_ACTIONS).del();
      // Down runs newest first: the migrations after this one are taken back before it.
      const at = migrations.findIndex((m) => m.name.endsWith('_review'));
      const later = migrations.slice(at + 1).reverse();
      for (const m of later) await knex().transaction(async (trx) => m.down(trx));
      await knex().transaction(async (trx) => review.down(trx));
      expect((await knex().raw(`SELECT to_regclass('label_moves') AS t`)).rows[0].t).to.equal(null);
      await knex()('change_events').insert({ id: ulid(), site_id: siteId, action: 'tag.create', hlc: 2, node_id: NODE });
      await knex().transaction(async (trx) => review.up(trx));
      for (const m of [...later].reverse()) await knex().transaction(async (trx) => m.up(trx));
      expect((await knex().raw(`SELECT to_regclass('label_moves') AS t`)).rows[0].t).to.equal('label_moves');
      await knex()('change_events').insert({ id: ulid(), site_id: siteId, action: 'label.move', hlc: 3, node_id: NODE });
    });
  });
}
