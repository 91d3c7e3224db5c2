/**
 * Why: building a version's tsvector (to_tsvector over its title and body, about 4 ms of
 * PostgreSQL CPU for a 20 KB page) was a statement of its own on the save's path, after the
 * version row, so it added a round trip and that CPU to every save's latency (issue 12).
 *
 * What: a search row is now written with its text in the same statement as its version (one
 * round trip) and its vector left NULL: "pending". lib/search/indexer.ts fills pending vectors
 * in batches once the save's transaction commits, and `search` fills the pending rows of its
 * site before it queries, so a search still finds every version saved before it began. The
 * partial index is the queue: it holds only the pending rows, so finding them costs nothing
 * when there are none.
 */
import type { Knex } from 'knex';

const upStatements: string[] = [
  `ALTER TABLE version_search ALTER COLUMN vector DROP NOT NULL`,
  `CREATE INDEX version_search_pending ON version_search (site_id) WHERE vector IS NULL`,
];

const downStatements: string[] = [
  `UPDATE version_search SET vector = setweight(to_tsvector(config::regconfig, title), 'A') || setweight(to_tsvector(config::regconfig, body), 'D') WHERE vector IS NULL`,
  `DROP INDEX version_search_pending`,
  `ALTER TABLE version_search ALTER COLUMN vector SET NOT NULL`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of upStatements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of downStatements) await knex.raw(sql);
}
