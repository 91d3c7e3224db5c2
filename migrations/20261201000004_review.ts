/**
 * Why: the review loop of 0.2 (comments resolved and reopened, movable labels, revocable
 * previews) needs three things the collaboration migration lacks:
 *
 * - who resolved a comment (version_comments already has resolved_at; a row resolved before
 *   this migration has no resolver, so only "a resolver implies resolved" is checked);
 * - label_moves, the index of the `labels` branch: one row per commit on that branch (a label
 *   created, moved or removed). Like content_versions it is DERIVED: Git is the truth (DESIGN
 *   "Labels"), reindex rebuilds it, so it references the document and not a version row that a
 *   rebuild could renumber; from_version/to_version are the numbers the trailers carry;
 * - the new change-event actions, in change_events.action and in the list webhooks may subscribe
 *   to (the collaboration migration keeps the two lists equal).
 *
 * The action lists are extended by reading the constraint as it stands and adding ours, not by
 * restating a full list: other migrations of the same release add actions too, and whichever
 * runs last must not drop theirs. `down` removes only ours.
 */
import type { Knex } from 'knex';

const ULID = `'^[0-9A-HJKMNP-TV-Z]{26}$'`;
const HEX40 = `'^[0-9a-f]{40}$'`;
const EMAIL = `'^[^@\\s<>]+@[^@\\s<>]+$'`;
const SLUG = `'^[a-z0-9]+(-[a-z0-9]+)*$'`;

export const REVIEW_ACTIONS = ['comment.resolve', 'comment.reopen', 'comment.delete', 'label.move', 'label.remove', 'preview.revoke'];

const upStatements: string[] = [
  `ALTER TABLE version_comments ADD COLUMN resolved_by_name text
     CHECK (resolved_by_name IS NULL OR length(resolved_by_name) BETWEEN 1 AND 200)`,
  `ALTER TABLE version_comments ADD COLUMN resolved_by_email text
     CHECK (resolved_by_email IS NULL OR resolved_by_email ~ ${EMAIL})`,
  `ALTER TABLE version_comments ADD CONSTRAINT version_comments_resolved_by
     CHECK ((resolved_by_name IS NULL OR resolved_at IS NOT NULL) AND (resolved_by_email IS NULL OR resolved_by_name IS NOT NULL))`,

  `CREATE TABLE label_moves (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL,
     document_id char(26) NOT NULL,
     name text NOT NULL CHECK (name ~ ${SLUG} AND length(name) <= 63),
     from_version integer CHECK (from_version IS NULL OR from_version >= 1),
     to_version integer CHECK (to_version IS NULL OR to_version >= 1),
     to_commit char(40) CHECK (to_commit IS NULL OR to_commit ~ ${HEX40}),
     label_commit char(40) NOT NULL CHECK (label_commit ~ ${HEX40}),
     moved_by_name text NOT NULL CHECK (length(moved_by_name) BETWEEN 1 AND 200),
     moved_by_email text CHECK (moved_by_email IS NULL OR moved_by_email ~ ${EMAIL}),
     message text NOT NULL DEFAULT '' CHECK (length(message) <= 20000),
     moved_at timestamptz NOT NULL,
     node_id char(26) NOT NULL,
     hlc_modified bigint NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     CONSTRAINT label_moves_target CHECK ((to_version IS NULL) = (to_commit IS NULL)),
     CONSTRAINT label_moves_changes CHECK (from_version IS NOT NULL OR to_version IS NOT NULL),
     UNIQUE (site_id, label_commit, document_id, name),
     FOREIGN KEY (site_id, document_id) REFERENCES documents (site_id, id) ON DELETE CASCADE)`,
  `CREATE TRIGGER label_moves_updated_at BEFORE UPDATE ON label_moves FOR EACH ROW EXECUTE FUNCTION verso_set_updated_at()`,
  `CREATE INDEX label_moves_document ON label_moves (site_id, document_id, name, moved_at)`,
];

const downStatements: string[] = [
  `DROP TABLE label_moves`,
  `ALTER TABLE version_comments DROP CONSTRAINT version_comments_resolved_by`,
  `ALTER TABLE version_comments DROP COLUMN resolved_by_email`,
  `ALTER TABLE version_comments DROP COLUMN resolved_by_name`,
];

async function rows<T>(knex: Knex, sql: string): Promise<T[]> {
  return ((await knex.raw(sql)) as { rows: T[] }).rows;
}

/** The quoted strings of a CHECK's ARRAY[...] as pg_get_constraintdef prints it. */
const listed = (def: string): string[] => [...def.matchAll(/'([^']+)'::text/g)].map((m) => m[1]!);
const sqlList = (names: string[]): string => names.map((n) => `'${n}'`).join(', ');

async function constraintOf(knex: Knex, table: string, like: string): Promise<{ name: string; actions: string[] }> {
  const found = await rows<{ conname: string; def: string }>(
    knex,
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = '${table}'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%${like}%'`,
  );
  if (found.length !== 1) throw new Error(`expected one CHECK on ${table} mentioning ${like}, found ${found.length}`);
  return { name: found[0]!.conname, actions: listed(found[0]!.def).filter((a) => a !== '*') };
}

/** Rewrites both action lists to `change(current)`, keeping each constraint's name and shape. */
async function rewriteActions(knex: Knex, change: (current: string[]) => string[]): Promise<void> {
  const events = await constraintOf(knex, 'change_events', 'action');
  await knex.raw(`ALTER TABLE change_events DROP CONSTRAINT ${events.name}`);
  await knex.raw(`ALTER TABLE change_events ADD CONSTRAINT ${events.name} CHECK (action IN (${sqlList(change(events.actions))}))`);
  const hooks = await constraintOf(knex, 'webhooks', 'cardinality(events)');
  await knex.raw(`ALTER TABLE webhooks DROP CONSTRAINT ${hooks.name}`);
  await knex.raw(
    `ALTER TABLE webhooks ADD CONSTRAINT ${hooks.name} CHECK (cardinality(events) >= 1 AND array_position(events, NULL) IS NULL
       AND events <@ ARRAY['*', ${sqlList(change(hooks.actions))}]::text[])`,
  );
}

export async function up(knex: Knex): Promise<void> {
  for (const sql of upStatements) await knex.raw(sql);
  await rewriteActions(knex, (current) => [...current, ...REVIEW_ACTIONS.filter((a) => !current.includes(a))]);
}

export async function down(knex: Knex): Promise<void> {
  // Rows using the actions would break the narrowed CHECKs: events of them go, subscriptions lose them.
  await knex.raw(`DELETE FROM change_events WHERE action IN (${sqlList(REVIEW_ACTIONS)})`);
  for (const action of REVIEW_ACTIONS) await knex.raw(`UPDATE webhooks SET events = array_remove(events, '${action}') WHERE '${action}' = ANY (events)`);
  await knex.raw(`DELETE FROM webhooks WHERE cardinality(events) = 0`);
  await rewriteActions(knex, (current) => current.filter((a) => !REVIEW_ACTIONS.includes(a)));
  for (const sql of downStatements) await knex.raw(sql);
}
