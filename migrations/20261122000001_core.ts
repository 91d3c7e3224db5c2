/**
 * Why: the index of verso's core — sites, their locales and domains, documents, the versions
 * that point at Git commits, branches and the change feed. Git is the truth for content and
 * history; these tables make "the 50 newest versions of this page in fr" an index scan.
 *
 * Rules (DESIGN.md "Databases"): ULID char(26) keys made by the app, node_id + hlc_modified on
 * entity tables, timestamptz with an updated_at trigger, CHECKs for every enum and slug, an
 * index on every foreign key, site_id in every site-owned key (Citus-ready). knex-pglite runs
 * one statement per raw() call, so every statement is its own entry.
 */
import type { Knex } from 'knex';

// No `?` in these patterns: knex reads an unescaped `?` in raw SQL as a binding placeholder.
const SLUG = `'^[a-z0-9]+(-[a-z0-9]+)*$' AND length(%) <= 63`;
const LOCALE = `'^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$'`;
const HEX40 = `'^[0-9a-f]{40}$'`;
const ULID = `'^[0-9A-HJKMNP-TV-Z]{26}$'`;

// Columns every entity table carries.
const ENTITY = `
  node_id char(26) NOT NULL,
  hlc_modified bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()`;

const trigger = (table: string) =>
  `CREATE TRIGGER ${table}_updated_at BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION verso_set_updated_at()`;

const upStatements: string[] = [
  `CREATE FUNCTION verso_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN NEW.updated_at = now(); RETURN NEW; END $$`,

  `CREATE TABLE sites (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     slug text NOT NULL UNIQUE CHECK (slug ~ ${SLUG.replace('%', 'slug')}),
     name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
     default_locale text NOT NULL CHECK (default_locale ~ ${LOCALE}),
     ${ENTITY})`,
  trigger('sites'),

  `CREATE TABLE locales (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
     code text NOT NULL CHECK (code ~ ${LOCALE}),
     ${ENTITY},
     UNIQUE (site_id, code))`,
  trigger('locales'),

  `CREATE TABLE domains (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
     hostname text NOT NULL CHECK (hostname ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9]){0,1}(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9]){0,1})*(:[0-9]{1,5}){0,1}$'),
     is_primary boolean NOT NULL DEFAULT false,
     ${ENTITY},
     UNIQUE (site_id, hostname))`,
  trigger('domains'),
  `CREATE UNIQUE INDEX domains_one_primary ON domains (site_id) WHERE is_primary`,

  `CREATE TABLE documents (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
     type text NOT NULL CHECK (type ~ ${SLUG.replace('%', 'type')}),
     key text NOT NULL CHECK (key ~ ${SLUG.replace('%', 'key')}),
     locale text NOT NULL,
     format text NOT NULL CHECK (format IN ('json', 'markdown', 'text')),
     latest_number integer NOT NULL DEFAULT 0 CHECK (latest_number >= 0),
     archived_at timestamptz,
     ${ENTITY},
     UNIQUE (site_id, id),
     UNIQUE (site_id, type, key, locale),
     FOREIGN KEY (site_id, locale) REFERENCES locales (site_id, code))`,
  trigger('documents'),
  `CREATE INDEX documents_site_locale ON documents (site_id, locale)`,
  `CREATE INDEX documents_site_updated ON documents (site_id, updated_at DESC)`,

  `CREATE TABLE content_versions (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL,
     document_id char(26) NOT NULL,
     number integer NOT NULL CHECK (number > 0),
     branch text NOT NULL CHECK (branch ~ ${SLUG.replace('%', 'branch')}),
     kind text NOT NULL CHECK (kind IN ('draft', 'autosave', 'rollback', 'merge')),
     source text NOT NULL CHECK (source IN ('user', 'ai_generation', 'ai_edit', 'git')),
     commit_hash char(40) NOT NULL CHECK (commit_hash ~ ${HEX40}),
     blob_hash char(40) NOT NULL CHECK (blob_hash ~ ${HEX40}),
     author_name text NOT NULL CHECK (length(author_name) BETWEEN 1 AND 200),
     author_email text CHECK (author_email IS NULL OR author_email ~ '^[^@\\s<>]+@[^@\\s<>]+$'),
     message text NOT NULL DEFAULT '',
     metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
     idempotency_key text CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 200),
     is_current_draft boolean NOT NULL DEFAULT false,
     is_current_published boolean NOT NULL DEFAULT false,
     published_at timestamptz,
     ${ENTITY},
     FOREIGN KEY (site_id, document_id) REFERENCES documents (site_id, id) ON DELETE CASCADE,
     UNIQUE (site_id, document_id, number),
     UNIQUE (site_id, commit_hash, document_id))`,
  trigger('content_versions'),
  `CREATE UNIQUE INDEX content_versions_one_draft ON content_versions (site_id, document_id) WHERE is_current_draft`,
  `CREATE UNIQUE INDEX content_versions_one_published ON content_versions (site_id, document_id) WHERE is_current_published`,
  `CREATE UNIQUE INDEX content_versions_idempotency ON content_versions (site_id, document_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
  `CREATE INDEX content_versions_branch ON content_versions (site_id, document_id, branch, number DESC)`,
  // Versions are immutable: only the current flags (and their bookkeeping) may change.
  `CREATE FUNCTION verso_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF (NEW.id, NEW.site_id, NEW.document_id, NEW.number, NEW.branch, NEW.kind, NEW.source,
         NEW.commit_hash, NEW.blob_hash, NEW.author_name, NEW.author_email, NEW.message,
         NEW.metadata, NEW.idempotency_key, NEW.created_at)
        IS DISTINCT FROM
        (OLD.id, OLD.site_id, OLD.document_id, OLD.number, OLD.branch, OLD.kind, OLD.source,
         OLD.commit_hash, OLD.blob_hash, OLD.author_name, OLD.author_email, OLD.message,
         OLD.metadata, OLD.idempotency_key, OLD.created_at) THEN
       RAISE EXCEPTION 'content_versions rows are immutable (version %)', OLD.id USING ERRCODE = 'P0001';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER content_versions_immutable BEFORE UPDATE ON content_versions FOR EACH ROW EXECUTE FUNCTION verso_versions_immutable()`,

  `CREATE TABLE branches (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
     name text NOT NULL CHECK (name ~ ${SLUG.replace('%', 'name')}),
     created_from text,
     ${ENTITY},
     UNIQUE (site_id, name))`,
  trigger('branches'),

  `CREATE TABLE change_events (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
     document_id char(26),
     action text NOT NULL CHECK (action IN ('site.create', 'version.create', 'version.publish',
       'version.unpublish', 'document.archive', 'branch.create', 'branch.delete', 'branch.merge',
       'comment.create', 'preview.create', 'tag.create', 'key.create', 'key.revoke', 'index.repair')),
     version_number integer,
     commit_hash char(40) CHECK (commit_hash IS NULL OR commit_hash ~ ${HEX40}),
     data jsonb NOT NULL DEFAULT '{}'::jsonb,
     hlc bigint NOT NULL,
     node_id char(26) NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     FOREIGN KEY (site_id, document_id) REFERENCES documents (site_id, id) ON DELETE CASCADE)`,
  `CREATE INDEX change_events_site_id ON change_events (site_id, id)`,
  `CREATE INDEX change_events_document ON change_events (site_id, document_id)`,
];

const downStatements: string[] = [
  `DROP TABLE change_events`,
  `DROP TABLE branches`,
  `DROP TABLE content_versions`,
  `DROP FUNCTION verso_versions_immutable()`,
  `DROP TABLE documents`,
  `DROP TABLE domains`,
  `DROP TABLE locales`,
  `DROP TABLE sites`,
  `DROP FUNCTION verso_set_updated_at()`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of upStatements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of downStatements) await knex.raw(sql);
}
