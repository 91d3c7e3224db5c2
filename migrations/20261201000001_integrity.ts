/**
 * Why: `verso reindex` rebuilds the derived history rows (content_versions) from Git, and review
 * comments and preview links hung off those rows by ON DELETE CASCADE foreign keys, so a rebuild
 * deleted them (issue "nothing lost": owned rows must survive any rebuild). Owned rows now point
 * at a version by (site_id, document_id, version_number) with a foreign key to the document
 * only; reindex keeps (site, document, number) stable and updates version rows in place, and the
 * operations check that the version exists when the row is written. Tags stay tied to their
 * version: they are derived too (rebuilt from refs/tags) and go when the version goes.
 *
 * index_quarantine: what recovery could not index (a commit whose trailers name an impossible
 * version, text PostgreSQL cannot store, ...). Recovery records it here and goes on, so no
 * commit can stop openStore, serve, reindex or fsck --repair; `verso fsck` reports the rows.
 *
 * Same rules as core (ULID keys, entity columns, updated_at trigger, site_id in unique keys,
 * an index on every foreign key); one statement per raw() call (PGlite).
 */
import type { Knex } from 'knex';

const ULID = `'^[0-9A-HJKMNP-TV-Z]{26}$'`;
const HEX40 = `'^[0-9a-f]{40}$'`;

// Postgres named these constraints itself; a DO block finds them by what they reference so the
// migration does not depend on generated names.
const dropVersionFk = (table: string) => `DO $$
  DECLARE c record;
  BEGIN
    FOR c IN SELECT conname FROM pg_constraint
              WHERE conrelid = '${table}'::regclass AND confrelid = 'content_versions'::regclass AND contype = 'f'
    LOOP
      EXECUTE format('ALTER TABLE ${table} DROP CONSTRAINT %I', c.conname);
    END LOOP;
  END $$`;

const upStatements: string[] = [
  dropVersionFk('version_comments'),
  `ALTER TABLE version_comments ADD CONSTRAINT version_comments_document_fkey
     FOREIGN KEY (site_id, document_id) REFERENCES documents (site_id, id) ON DELETE CASCADE`,
  // preview_tokens already references its document.
  dropVersionFk('preview_tokens'),

  `CREATE TABLE index_quarantine (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
     commit_hash char(40) NOT NULL CHECK (commit_hash ~ ${HEX40}),
     branch text NOT NULL CHECK (length(branch) BETWEEN 1 AND 255),
     reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
     node_id char(26) NOT NULL,
     hlc_modified bigint NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (site_id, commit_hash))`,
  `CREATE TRIGGER index_quarantine_updated_at BEFORE UPDATE ON index_quarantine FOR EACH ROW EXECUTE FUNCTION verso_set_updated_at()`,
];

// NOT VALID: comments and previews written while this migration was applied may name a version
// the index no longer holds; going back must not fail on them (new rows are checked again).
// Added only when missing, so down also works after the collaboration tables were re-created.
const addVersionFk = (table: string, name: string) => `DO $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '${table}'::regclass AND confrelid = 'content_versions'::regclass AND contype = 'f') THEN
      ALTER TABLE ${table} ADD CONSTRAINT ${name} FOREIGN KEY (site_id, document_id, version_number)
        REFERENCES content_versions (site_id, document_id, number) ON DELETE CASCADE NOT VALID;
    END IF;
  END $$`;

const downStatements: string[] = [
  `DROP TABLE index_quarantine`,
  addVersionFk('preview_tokens', 'preview_tokens_site_id_document_id_version_number_fkey'),
  `ALTER TABLE version_comments DROP CONSTRAINT IF EXISTS version_comments_document_fkey`,
  addVersionFk('version_comments', 'version_comments_site_id_document_id_version_number_fkey'),
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of upStatements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of downStatements) await knex.raw(sql);
}
