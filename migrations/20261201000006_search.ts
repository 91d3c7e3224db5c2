/**
 * Full-text search (issue 11): one row per version with the text extracted from its content
 * (title-like parts and the body apart, so titles can weigh more and snippets can quote them),
 * the text search configuration of the document's locale, and the tsvector built from both at
 * index time. Derived data like content_versions itself: rebuilt from Git by reindex, and
 * removed with its version (ON DELETE CASCADE).
 *
 * A table of its own, not columns on content_versions: versions are immutable (a trigger
 * refuses updates), and a rebuild of the vectors (a new extractor, a new configuration) must
 * not touch the history rows.
 *
 * `config` is text, not regconfig: PGlite and PostgreSQL both have the snowball configurations
 * (english, french, german, …), and a text column casts to regconfig at query time the same way
 * on both. The CHECK keeps it to names that cast.
 */
import type { Knex } from 'knex';

const upStatements: string[] = [
  `CREATE TABLE version_search (
     site_id char(26) NOT NULL,
     document_id char(26) NOT NULL,
     version_number integer NOT NULL,
     config text NOT NULL CHECK (config ~ '^[a-z]{2,20}$'),
     title text NOT NULL DEFAULT '' CHECK (length(title) <= 10000),
     body text NOT NULL DEFAULT '',
     vector tsvector NOT NULL,
     node_id char(26) NOT NULL,
     hlc_modified bigint NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (site_id, document_id, version_number),
     FOREIGN KEY (site_id, document_id, version_number)
       REFERENCES content_versions (site_id, document_id, number) ON DELETE CASCADE)`,
  `CREATE TRIGGER version_search_updated_at BEFORE UPDATE ON version_search FOR EACH ROW EXECUTE FUNCTION verso_set_updated_at()`,
  `CREATE INDEX version_search_vector ON version_search USING gin (vector)`,
];

const downStatements: string[] = [`DROP TABLE version_search`];

export async function up(knex: Knex): Promise<void> {
  for (const sql of upStatements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of downStatements) await knex.raw(sql);
}
