/**
 * Why: the tables that exist only in PostgreSQL and not in Git (DESIGN.md "The two stores"):
 * semver tags (also Git refs, indexed here), review comments, preview tokens, API keys,
 * webhooks, integrations and their document mappings, and the backup catalogue. Git cannot
 * rebuild these, so their constraints are the last line of defence and backups must cover them.
 *
 * Rules (DESIGN.md "Databases", "Security model"): same as the core migration — ULID char(26)
 * keys made by the app, node_id + hlc_modified on entity tables, an updated_at trigger, a CHECK
 * for every enum and slug, an index on every foreign key, site_id in every site-owned key and in
 * composite foreign keys. Secrets are stored only as SHA-256 hashes (keys, preview tokens) or
 * AES-256-GCM ciphertext (webhook and integration secrets).
 *
 * Versions are referenced as (site_id, document_id, version_number) → content_versions
 * (site_id, document_id, number), the unique key core already has, so that this migration adds
 * nothing to core's tables.
 */
import type { Knex } from 'knex';

const SLUG = `'^[a-z0-9]+(-[a-z0-9]+)*$'`; // plus length <= 63 where used, as in core
const ULID = `'^[0-9A-HJKMNP-TV-Z]{26}$'`;
const HEX40 = `'^[0-9a-f]{40}$'`;
const HEX64 = `'^[0-9a-f]{64}$'`;
const EMAIL = `'^[^@\\s<>]+@[^@\\s<>]+$'`;
// semver.org 2.0.0, written for PostgreSQL's regex engine. Git also forbids `..` and a trailing
// `.lock` in ref names; the grammar already excludes `..`, a separate CHECK excludes `.lock`.
const SEMVER = `'^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(?:-(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$'`;

// Mirrors core's change_events.action list: a webhook may subscribe only to events that exist.
// Adding an action there means adding it here too, in the same migration.
const EVENT_ACTIONS = [
  'site.create', 'version.create', 'version.publish', 'version.unpublish', 'document.archive',
  'branch.create', 'branch.delete', 'branch.merge', 'comment.create', 'preview.create',
  'tag.create', 'key.create', 'key.revoke', 'index.repair',
];

// AES-256-GCM output is at least a 12-byte IV plus a 16-byte authentication tag. This does not
// prove a value is encrypted; it refuses an empty or truncated one.
const ciphertext = (column: string) => `CHECK (${column} IS NULL OR octet_length(${column}) >= 28)`;

// Columns every entity table carries (as in core).
const ENTITY = `
  node_id char(26) NOT NULL,
  hlc_modified bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()`;

const trigger = (table: string) =>
  `CREATE TRIGGER ${table}_updated_at BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION verso_set_updated_at()`;

const upStatements: string[] = [
  // Semver labels (DESIGN "Git layout": annotated tags refs/tags/<type>/<key>/<locale>/v<name>).
  // Derived from Git like the versions they label, so reindex can rebuild them.
  `CREATE TABLE tags (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL,
     document_id char(26) NOT NULL,
     version_number integer NOT NULL,
     name text NOT NULL CHECK (length(name) <= 100 AND name ~ ${SEMVER} AND name !~ '\\.lock$'),
     commit_hash char(40) NOT NULL CHECK (commit_hash ~ ${HEX40}),
     tag_oid char(40) NOT NULL CHECK (tag_oid ~ ${HEX40}),
     message text NOT NULL DEFAULT '' CHECK (length(message) <= 20000),
     created_by text NOT NULL CHECK (length(created_by) BETWEEN 1 AND 200),
     ${ENTITY},
     UNIQUE (site_id, document_id, name),
     FOREIGN KEY (site_id, document_id, version_number)
       REFERENCES content_versions (site_id, document_id, number) ON DELETE CASCADE)`,
  trigger('tags'),
  `CREATE INDEX tags_version ON tags (site_id, document_id, version_number)`,
  // A tag names a version and the commit it points at; the two must be the same version's.
  // When the version does not exist the foreign key reports it, so only a mismatch raises here.
  `CREATE FUNCTION verso_tags_match_version() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE version_commit char(40);
   BEGIN
     SELECT v.commit_hash INTO version_commit FROM content_versions v
      WHERE v.site_id = NEW.site_id AND v.document_id = NEW.document_id AND v.number = NEW.version_number;
     IF FOUND AND version_commit IS DISTINCT FROM NEW.commit_hash THEN
       RAISE EXCEPTION 'tag % points at commit %, but version % is commit %',
         NEW.name, NEW.commit_hash, NEW.version_number, version_commit USING ERRCODE = 'P0001';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER tags_match_version BEFORE INSERT OR UPDATE ON tags FOR EACH ROW EXECUTE FUNCTION verso_tags_match_version()`,

  // Review comments on one version (seeds 000, 004). A reply's parent must be on the same
  // version: the self-reference includes the version columns, hence the extra unique key.
  `CREATE TABLE version_comments (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL,
     document_id char(26) NOT NULL,
     version_number integer NOT NULL,
     parent_id char(26),
     author_name text NOT NULL CHECK (length(author_name) BETWEEN 1 AND 200),
     author_email text CHECK (author_email IS NULL OR author_email ~ ${EMAIL}),
     body text NOT NULL CHECK (length(btrim(body)) >= 1 AND length(body) <= 20000),
     type text NOT NULL DEFAULT 'comment' CHECK (type IN ('comment', 'suggestion', 'approval', 'change_request')),
     anchor_start_line integer,
     anchor_end_line integer,
     resolved_at timestamptz,
     ${ENTITY},
     CONSTRAINT version_comments_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id),
     CONSTRAINT version_comments_anchor_pair CHECK ((anchor_start_line IS NULL) = (anchor_end_line IS NULL)),
     CONSTRAINT version_comments_anchor_range
       CHECK (anchor_start_line IS NULL OR (anchor_start_line >= 1 AND anchor_start_line <= anchor_end_line)),
     UNIQUE (site_id, document_id, version_number, id),
     FOREIGN KEY (site_id, document_id, version_number)
       REFERENCES content_versions (site_id, document_id, number) ON DELETE CASCADE,
     FOREIGN KEY (site_id, document_id, version_number, parent_id)
       REFERENCES version_comments (site_id, document_id, version_number, id) ON DELETE CASCADE)`,
  trigger('version_comments'),
  `CREATE INDEX version_comments_version ON version_comments (site_id, document_id, version_number, created_at)`,
  `CREATE INDEX version_comments_parent ON version_comments (site_id, document_id, version_number, parent_id)`,

  // Preview links (DESIGN "Security model"): only the SHA-256 of the 32 random bytes is stored.
  // Unique per site (Citus: site_id in every site-owned unique key); a hash is looked up without
  // knowing the site, hence its own index. version_number NULL means "the current draft".
  `CREATE TABLE preview_tokens (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     token_hash char(64) NOT NULL CHECK (token_hash ~ ${HEX64}),
     site_id char(26) NOT NULL,
     document_id char(26) NOT NULL,
     version_number integer,
     domain text,
     locale text NOT NULL,
     expires_at timestamptz NOT NULL,
     max_uses integer CHECK (max_uses IS NULL OR max_uses > 0),
     use_count integer NOT NULL DEFAULT 0,
     created_by text NOT NULL CHECK (length(created_by) BETWEEN 1 AND 200),
     revoked_at timestamptz,
     ${ENTITY},
     -- The limit is enforced atomically by the consuming UPDATE; this is the backstop.
     CONSTRAINT preview_tokens_use_limit CHECK (use_count >= 0 AND (max_uses IS NULL OR use_count <= max_uses)),
     CONSTRAINT preview_tokens_expiry_after_creation CHECK (expires_at > created_at),
     UNIQUE (site_id, token_hash),
     FOREIGN KEY (site_id, document_id) REFERENCES documents (site_id, id) ON DELETE CASCADE,
     FOREIGN KEY (site_id, document_id, version_number)
       REFERENCES content_versions (site_id, document_id, number) ON DELETE CASCADE,
     FOREIGN KEY (site_id, domain) REFERENCES domains (site_id, hostname) ON DELETE CASCADE,
     FOREIGN KEY (site_id, locale) REFERENCES locales (site_id, code) ON DELETE CASCADE)`,
  trigger('preview_tokens'),
  `CREATE INDEX preview_tokens_hash ON preview_tokens (token_hash)`,
  `CREATE INDEX preview_tokens_version ON preview_tokens (site_id, document_id, version_number)`,
  `CREATE INDEX preview_tokens_domain ON preview_tokens (site_id, domain)`,
  `CREATE INDEX preview_tokens_locale ON preview_tokens (site_id, locale)`,

  // API keys (DESIGN "Security model"): shown once, stored as SHA-256. site_id NULL is a key for
  // every site, so this is a global table (a Citus reference table) and key_hash is unique alone.
  `CREATE TABLE api_keys (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     key_hash char(64) NOT NULL UNIQUE CHECK (key_hash ~ ${HEX64}),
     prefix text NOT NULL CHECK (prefix ~ '^[A-Za-z0-9_.-]{4,16}$'),
     role text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer', 'integration')),
     site_id char(26) REFERENCES sites(id) ON DELETE CASCADE,
     name text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 200),
     last_used_at timestamptz,
     revoked_at timestamptz,
     ${ENTITY})`,
  trigger('api_keys'),
  `CREATE INDEX api_keys_site ON api_keys (site_id)`,

  // Outgoing notifications of change_events. The signing secret is ciphertext, never plaintext.
  `CREATE TABLE webhooks (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
     url text NOT NULL CHECK (length(url) <= 2048 AND url ~ '^https?://[^[:space:][:cntrl:]]+$'),
     events text[] NOT NULL CHECK (cardinality(events) >= 1 AND array_position(events, NULL) IS NULL
       AND events <@ ARRAY['*', ${EVENT_ACTIONS.map((a) => `'${a}'`).join(', ')}]::text[]),
     secret_encrypted bytea NOT NULL ${ciphertext('secret_encrypted')},
     active boolean NOT NULL DEFAULT true,
     ${ENTITY},
     UNIQUE (site_id, id))`,
  trigger('webhooks'),

  // External repositories a site pushes to (seed 003). Credentials live only in
  // secret_encrypted; config holds non-secret settings and refuses the usual secret key names.
  `CREATE TABLE integrations (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
     kind text NOT NULL CHECK (kind IN ('github', 'git')),
     name text NOT NULL CHECK (name ~ ${SLUG} AND length(name) <= 63),
     config jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(config) = 'object'
       AND NOT (config ?| ARRAY['token', 'password', 'secret', 'private_key', 'privateKey', 'api_key', 'apiKey'])),
     secret_encrypted bytea ${ciphertext('secret_encrypted')},
     active boolean NOT NULL DEFAULT true,
     ${ENTITY},
     UNIQUE (site_id, name),
     UNIQUE (site_id, id))`,
  trigger('integrations'),

  // Which document goes to which file of which external repository, and how far each side got.
  `CREATE TABLE integration_mappings (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL,
     integration_id char(26) NOT NULL,
     document_id char(26) NOT NULL,
     external_repo text NOT NULL CHECK (length(external_repo) BETWEEN 1 AND 500
       AND external_repo !~ '[[:space:][:cntrl:]]'),
     external_path text NOT NULL CHECK (length(external_path) BETWEEN 1 AND 1024
       AND external_path !~ '[[:cntrl:]\\\\]' AND external_path !~ '^/' AND external_path !~ '//'
       AND external_path !~ '(^|/)\\.\\.?(/|$)'),
     external_ref text NOT NULL DEFAULT 'main' CHECK (length(external_ref) BETWEEN 1 AND 200
       AND external_ref ~ '^[A-Za-z0-9_][A-Za-z0-9._/-]*$' AND external_ref !~ '\\.\\.|//|/$|\\.lock$|\\.lock/'),
     last_pushed_commit char(40) CHECK (last_pushed_commit IS NULL OR last_pushed_commit ~ ${HEX40}),
     last_external_commit char(40) CHECK (last_external_commit IS NULL OR last_external_commit ~ ${HEX40}),
     last_synced_at timestamptz,
     sync_status text NOT NULL DEFAULT 'pending' CHECK (sync_status IN ('pending', 'synced', 'conflict', 'error')),
     sync_error text CHECK (sync_error IS NULL OR length(sync_error) <= 4000),
     ${ENTITY},
     UNIQUE (site_id, integration_id, document_id),
     UNIQUE (site_id, integration_id, external_repo, external_ref, external_path),
     FOREIGN KEY (site_id, integration_id) REFERENCES integrations (site_id, id) ON DELETE CASCADE,
     FOREIGN KEY (site_id, document_id) REFERENCES documents (site_id, id) ON DELETE CASCADE)`,
  trigger('integration_mappings'),
  `CREATE INDEX integration_mappings_document ON integration_mappings (site_id, document_id)`,

  // Backup catalogue (seed 001 "Backup tracking"). One `verso backup` run is a backup_set; its
  // members are the artefacts. The PostgreSQL index is one database for every site, so database
  // and full backups span all sites and have site_id NULL: these tables are global (Citus
  // reference tables), not distributed. Only a repository bundle belongs to one site.
  `CREATE TABLE backup_sets (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
     hlc bigint NOT NULL,
     started_at timestamptz NOT NULL DEFAULT now(),
     finished_at timestamptz,
     triggered_by text CHECK (triggered_by IS NULL OR length(triggered_by) BETWEEN 1 AND 200),
     error_message text,
     ${ENTITY},
     CONSTRAINT backup_sets_finished_after_start CHECK (finished_at IS NULL OR finished_at >= started_at),
     CONSTRAINT backup_sets_finished_unless_running CHECK ((status = 'running') = (finished_at IS NULL)))`,
  trigger('backup_sets'),
  `CREATE INDEX backup_sets_started ON backup_sets (started_at DESC)`,

  // A site's backups are kept when the site is deleted (NO ACTION): they are how it comes back.
  `CREATE TABLE backups (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     backup_set_id char(26) NOT NULL REFERENCES backup_sets(id) ON DELETE CASCADE,
     site_id char(26) REFERENCES sites(id),
     kind text NOT NULL CHECK (kind IN ('full', 'database', 'repository')),
     location text NOT NULL CHECK (length(location) BETWEEN 1 AND 2048),
     size_bytes bigint CHECK (size_bytes IS NULL OR size_bytes >= 0),
     sha256 char(64) CHECK (sha256 IS NULL OR sha256 ~ ${HEX64}),
     status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
     started_at timestamptz NOT NULL DEFAULT now(),
     finished_at timestamptz,
     error_message text,
     ${ENTITY},
     CONSTRAINT backups_site_only_for_repository CHECK ((kind = 'repository') = (site_id IS NOT NULL)),
     CONSTRAINT backups_finished_after_start CHECK (finished_at IS NULL OR finished_at >= started_at),
     CONSTRAINT backups_finished_unless_running CHECK ((status = 'running') = (finished_at IS NULL)),
     CONSTRAINT backups_completed_has_checksum
       CHECK (status <> 'completed' OR (sha256 IS NOT NULL AND size_bytes IS NOT NULL)))`,
  trigger('backups'),
  `CREATE INDEX backups_set ON backups (backup_set_id)`,
  `CREATE INDEX backups_site ON backups (site_id, started_at DESC)`,

  // "Backups that aren't tested aren't backups" (seed 001): one row per check of one artefact.
  `CREATE TABLE backup_verifications (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     backup_id char(26) NOT NULL REFERENCES backups(id) ON DELETE CASCADE,
     status text NOT NULL CHECK (status IN ('passed', 'failed')),
     checked_at timestamptz NOT NULL DEFAULT now(),
     details jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(details) = 'object'),
     ${ENTITY})`,
  trigger('backup_verifications'),
  `CREATE INDEX backup_verifications_backup ON backup_verifications (backup_id, checked_at DESC)`,
];

const downStatements: string[] = [
  `DROP TABLE backup_verifications`,
  `DROP TABLE backups`,
  `DROP TABLE backup_sets`,
  `DROP TABLE integration_mappings`,
  `DROP TABLE integrations`,
  `DROP TABLE webhooks`,
  `DROP TABLE api_keys`,
  `DROP TABLE preview_tokens`,
  `DROP TABLE version_comments`,
  `DROP TABLE tags`,
  `DROP FUNCTION verso_tags_match_version()`,
];

// knex turns every `?` of a raw() string into a `$n` placeholder even when the call has no
// bindings, inside string literals too: a regex `(?:` reaches PostgreSQL as `($1:`, and jsonb's
// `?|` as `$1|`. `\?` is knex's escape for a literal `?`.
const literal = (sql: string) => sql.replace(/\?/g, '\\?');

export async function up(knex: Knex): Promise<void> {
  for (const sql of upStatements) await knex.raw(literal(sql));
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of downStatements) await knex.raw(literal(sql));
}
