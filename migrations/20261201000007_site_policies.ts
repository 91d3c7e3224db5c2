/**
 * Why: a merge decides what to do with a field both branches changed by the site's conflict
 * policy (seed 001's `conflict_policy`, per datatype): `manual` refuses the merge until each
 * conflict is resolved, `lww` lets the side whose last change is newer win. Sites get a default
 * policy and a per-document-type override map, both set by SiteHandle.update.
 *
 * CHECKs: the policy is one of the two names; type_policies is a JSON object whose keys are
 * document-type slugs (at most 63 characters) and whose values are policy names (jsonpath in a
 * CHECK is immutable and runs on PostgreSQL 15 and PGlite's 18 alike; the type() test is there
 * because comparing a number with a string is "unknown" in jsonpath, which a filter drops). Existing sites keep today's behaviour, manual.
 */
import type { Knex } from 'knex';

const upStatements: string[] = [
  `ALTER TABLE sites ADD COLUMN conflict_policy text NOT NULL DEFAULT 'manual'
     CONSTRAINT sites_conflict_policy CHECK (conflict_policy IN ('manual', 'lww'))`,
  `ALTER TABLE sites ADD COLUMN type_policies jsonb NOT NULL DEFAULT '{}'::jsonb
     CONSTRAINT sites_type_policies CHECK (
       jsonb_typeof(type_policies) = 'object'
       AND NOT jsonb_path_exists(type_policies, '$.keyvalue() ? (!(@.key like_regex "^[a-z0-9]+(-[a-z0-9]+)*$") || @.key like_regex "^.{64}" || @.value.type() != "string" || (@.value != "manual" && @.value != "lww"))'))`,
];

const downStatements: string[] = [
  `ALTER TABLE sites DROP COLUMN type_policies`,
  `ALTER TABLE sites DROP COLUMN conflict_policy`,
];

// knex reads every `?` of a raw() string as a placeholder, even without bindings; `\?` is a literal.
const literal = (sql: string) => sql.replace(/\?/g, '\\?');

export async function up(knex: Knex): Promise<void> {
  for (const sql of upStatements) await knex.raw(literal(sql));
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of downStatements) await knex.raw(literal(sql));
}
