/**
 * Why: integrations push documents to external repositories and pull remote edits back
 * (DESIGN.md "Labels, webhooks, integrations"). The collaboration migration created
 * `integrations` and `integration_mappings` before anything used them; a mapping must now hold
 * both sides' commit and blob ids (Git blob ids are content hashes: equal ids, equal bytes), the
 * version pushed, the pull request it opened and the remote side's last known state.
 *
 * A pulled file becomes a version with source 'integration', and pushes and pulls are change
 * events ('integration.push', 'integration.pull') that webhooks may subscribe to.
 *
 * The enum CHECKs on change_events.action, webhooks.events and content_versions.source are
 * extended by reading the constraint as it stands and adding our values, not by restating a
 * list: other migrations extend the same lists, and a restated list would silently drop theirs.
 * `down` removes only our columns and values (IF EXISTS: rolling the collaboration migration
 * back and up again underneath recreates the two tables without them); it re-adds the narrowed CHECK as NOT VALID so that rows
 * written meanwhile (an 'integration' version is immutable) do not make the rollback fail.
 */
import type { Knex } from 'knex';

const HEX40 = `'^[0-9a-f]{40}$'`;

interface EnumCheck {
  table: string;
  constraint: string;
  values: string[];
  /** The CHECK expression over a quoted, comma-separated list. */
  expression(list: string): string;
}

const ENUM_CHECKS: EnumCheck[] = [
  {
    table: 'content_versions',
    constraint: 'content_versions_source_check',
    values: ['integration'],
    expression: (list) => `source IN (${list})`,
  },
  {
    table: 'change_events',
    constraint: 'change_events_action_check',
    values: ['integration.push', 'integration.pull'],
    expression: (list) => `action IN (${list})`,
  },
  {
    table: 'webhooks',
    constraint: 'webhooks_events_check',
    values: ['integration.push', 'integration.pull'],
    expression: (list) => `cardinality(events) >= 1 AND array_position(events, NULL) IS NULL AND events <@ ARRAY[${list}]::text[]`,
  },
];

const upStatements: string[] = [
  `ALTER TABLE integration_mappings ADD COLUMN version_number integer NOT NULL CHECK (version_number > 0)`,
  `ALTER TABLE integration_mappings ADD COLUMN local_blob char(40) NOT NULL CHECK (local_blob ~ ${HEX40})`,
  // The remote file's blob right after our last push or pull (the baseline drift is judged
  // against), and the one last seen there (NULL: the path was missing).
  `ALTER TABLE integration_mappings ADD COLUMN synced_blob char(40) NOT NULL CHECK (synced_blob ~ ${HEX40})`,
  `ALTER TABLE integration_mappings ADD COLUMN remote_blob char(40) CHECK (remote_blob IS NULL OR remote_blob ~ ${HEX40})`,
  // What the remote side looked like when last seen (push, pull, check or a GitHub webhook);
  // the local side is compared at read time, so it is not stored.
  `ALTER TABLE integration_mappings ADD COLUMN remote_status text NOT NULL DEFAULT 'in_sync'
     CHECK (remote_status IN ('in_sync', 'remote_changed', 'missing'))`,
  `ALTER TABLE integration_mappings ADD COLUMN pr_number integer CHECK (pr_number IS NULL OR pr_number > 0)`,
  `ALTER TABLE integration_mappings ADD COLUMN pr_url text CHECK (pr_url IS NULL OR (length(pr_url) <= 2048 AND pr_url ~ '^https?://[^[:space:][:cntrl:]]+$'))`,
  `ALTER TABLE integration_mappings ADD CONSTRAINT integration_mappings_pr_pair CHECK ((pr_number IS NULL) = (pr_url IS NULL))`,
  // The version a mapping names is owned-row-to-derived-row by (site, document, number), the key
  // reindex keeps stable (DESIGN.md "The two stores").
  `ALTER TABLE integration_mappings ADD CONSTRAINT integration_mappings_version_fkey
     FOREIGN KEY (site_id, document_id, version_number) REFERENCES content_versions (site_id, document_id, number) ON DELETE CASCADE`,
  `CREATE INDEX integration_mappings_version ON integration_mappings (site_id, document_id, version_number)`,
  `CREATE INDEX integration_mappings_integration ON integration_mappings (site_id, integration_id, external_path)`,
  // A GitHub webhook names only its repository: find the integrations that push there.
  `CREATE INDEX integrations_github_repository ON integrations ((config->>'repository')) WHERE kind = 'github'`,
];

const downStatements: string[] = [
  `DROP INDEX IF EXISTS integrations_github_repository`,
  `DROP INDEX IF EXISTS integration_mappings_integration`,
  `DROP INDEX IF EXISTS integration_mappings_version`,
  `ALTER TABLE integration_mappings DROP CONSTRAINT IF EXISTS integration_mappings_version_fkey`,
  `ALTER TABLE integration_mappings DROP CONSTRAINT IF EXISTS integration_mappings_pr_pair`,
  `ALTER TABLE integration_mappings DROP COLUMN IF EXISTS pr_url`,
  `ALTER TABLE integration_mappings DROP COLUMN IF EXISTS pr_number`,
  `ALTER TABLE integration_mappings DROP COLUMN IF EXISTS remote_status`,
  `ALTER TABLE integration_mappings DROP COLUMN IF EXISTS remote_blob`,
  `ALTER TABLE integration_mappings DROP COLUMN IF EXISTS synced_blob`,
  `ALTER TABLE integration_mappings DROP COLUMN IF EXISTS local_blob`,
  `ALTER TABLE integration_mappings DROP COLUMN IF EXISTS version_number`,
];

/** The quoted values of an enum CHECK as PostgreSQL prints it (`'x'::text`). */
async function currentValues(knex: Knex, c: EnumCheck): Promise<string[]> {
  const result = (await knex.raw(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = ? AND conrelid = ?::regclass`,
    [c.constraint, c.table],
  )) as { rows: Array<{ def: string }> };
  const def = result.rows[0]?.def;
  if (!def) throw new Error(`constraint ${c.constraint} on ${c.table} not found`);
  return [...def.matchAll(/'([^']*)'::text/g)].map((m) => m[1]!);
}

async function replaceCheck(knex: Knex, c: EnumCheck, values: string[], notValid: boolean): Promise<void> {
  const list = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
  await knex.raw(`ALTER TABLE ${c.table} DROP CONSTRAINT ${c.constraint}`);
  await knex.raw(`ALTER TABLE ${c.table} ADD CONSTRAINT ${c.constraint} CHECK (${c.expression(list)})${notValid ? ' NOT VALID' : ''}`);
}

// As in the collaboration migration: `\?` keeps knex from reading a regex `?` as a placeholder.
const literal = (sql: string) => sql.replace(/\?/g, '\\?');

export async function up(knex: Knex): Promise<void> {
  for (const c of ENUM_CHECKS) {
    const values = await currentValues(knex, c);
    await replaceCheck(knex, c, [...values, ...c.values.filter((v) => !values.includes(v))], false);
  }
  for (const sql of upStatements) await knex.raw(literal(sql));
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of downStatements) await knex.raw(literal(sql));
  for (const c of ENUM_CHECKS) {
    const values = await currentValues(knex, c);
    await replaceCheck(knex, c, values.filter((v) => !c.values.includes(v)), true);
  }
}
