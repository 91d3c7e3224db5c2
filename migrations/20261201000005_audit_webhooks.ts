/**
 * Audit trail and webhook outbox (issue 11).
 *
 * change_events gains seed 001's columns where they mean something here:
 *  - user_id: the API key that made the change (NULL for SDK and git writes, which name their
 *    author in actor_name instead); actor_name: the key's name or the author's name.
 *  - old_values / new_values: what a flag move or an update changed (publish: the published
 *    version before and after; site.update: the fields before and after).
 *  - consumed_at: NULL until every webhook delivery of the event is finished (delivered or
 *    failed); set at insert when no webhook subscribes, so the partial index stays small.
 *  - synced_at: NULL until the event was shipped to other nodes (replication; nothing ships
 *    events yet, so the partial index on NULL is where a replicator will start).
 * site_id becomes nullable: an unscoped API key belongs to no site, so its key.create and
 * key.revoke events are global. On Citus, rows with a NULL distribution column cannot live in
 * a distributed table; a distributed deployment moves global events to a reference table
 * (docs/schema.md says so).
 *
 * The action list CHECK becomes a shape CHECK: several changes add actions (site.update,
 * webhook.*, integration.*, label.*, comment.*), and a list restated in every migration is the
 * one that the last migration forgot. The application keeps the list (lib/events/actions.ts)
 * and refuses unknown actions in webhook filters before anything is written.
 *
 * webhook_deliveries is the outbox (DESIGN.md "Webhooks"): one row per (webhook, event),
 * written by the same statement as the event, claimed with FOR UPDATE SKIP LOCKED under a
 * lease, kept after success. webhook_attempts keeps each attempt's status and a truncated body.
 */
import type { Knex } from 'knex';

const ULID = `'^[0-9A-HJKMNP-TV-Z]{26}$'`;
const ACTION = `'^[a-z]+(_[a-z]+)*\\.[a-z]+(_[a-z]+)*$'`;
// A webhook filter joined with commas: '*' or actions of the shape above.
const ACTION_LIST = `'^(\\*|[a-z]+(_[a-z]+)*\\.[a-z]+(_[a-z]+)*)(,(\\*|[a-z]+(_[a-z]+)*\\.[a-z]+(_[a-z]+)*))*$'`;

const ENTITY = `
  node_id char(26) NOT NULL,
  hlc_modified bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()`;

const upStatements: string[] = [
  `ALTER TABLE change_events ALTER COLUMN site_id DROP NOT NULL`,
  `ALTER TABLE change_events DROP CONSTRAINT change_events_action_check`,
  `ALTER TABLE change_events ADD CONSTRAINT change_events_action_check CHECK (length(action) <= 64 AND action ~ ${ACTION})`,
  `ALTER TABLE change_events ADD COLUMN user_id char(26) CHECK (user_id IS NULL OR user_id ~ ${ULID})`,
  `ALTER TABLE change_events ADD COLUMN actor_name text CHECK (actor_name IS NULL OR length(actor_name) BETWEEN 1 AND 200)`,
  `ALTER TABLE change_events ADD COLUMN old_values jsonb CHECK (old_values IS NULL OR jsonb_typeof(old_values) = 'object')`,
  `ALTER TABLE change_events ADD COLUMN new_values jsonb CHECK (new_values IS NULL OR jsonb_typeof(new_values) = 'object')`,
  `ALTER TABLE change_events ADD COLUMN consumed_at timestamptz`,
  `ALTER TABLE change_events ADD COLUMN synced_at timestamptz`,
  `CREATE INDEX change_events_hlc ON change_events (hlc)`,
  `CREATE INDEX change_events_node ON change_events (node_id)`,
  `CREATE INDEX change_events_user ON change_events (user_id)`,
  `CREATE INDEX change_events_unsynced ON change_events (id) WHERE synced_at IS NULL`,
  `CREATE INDEX change_events_unconsumed ON change_events (id) WHERE consumed_at IS NULL`,
  `CREATE INDEX change_events_global ON change_events (id) WHERE site_id IS NULL`,

  `ALTER TABLE webhooks DROP CONSTRAINT webhooks_events_check`,
  `ALTER TABLE webhooks ADD CONSTRAINT webhooks_events_check CHECK (cardinality(events) BETWEEN 1 AND 100
     AND array_position(events, NULL) IS NULL AND array_to_string(events, ',') ~ ${ACTION_LIST})`,
  `ALTER TABLE webhooks ADD COLUMN failure_run integer NOT NULL DEFAULT 0 CHECK (failure_run >= 0)`,
  `ALTER TABLE webhooks ADD COLUMN disabled_at timestamptz`,
  `CREATE INDEX webhooks_site ON webhooks (site_id) WHERE active`,

  `CREATE TABLE webhook_deliveries (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL,
     webhook_id char(26) NOT NULL,
     event_id char(26) NOT NULL REFERENCES change_events(id) ON DELETE CASCADE,
     action text NOT NULL CHECK (length(action) <= 64 AND action ~ ${ACTION}),
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
     attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
     next_attempt_at timestamptz NOT NULL DEFAULT now(),
     last_status integer CHECK (last_status IS NULL OR last_status BETWEEN 100 AND 599),
     last_error text CHECK (last_error IS NULL OR length(last_error) <= 1000),
     delivered_at timestamptz,
     ${ENTITY},
     UNIQUE (site_id, webhook_id, event_id),
     UNIQUE (site_id, id),
     FOREIGN KEY (site_id, webhook_id) REFERENCES webhooks (site_id, id) ON DELETE CASCADE,
     CONSTRAINT webhook_deliveries_delivered_at CHECK ((status = 'delivered') = (delivered_at IS NOT NULL)))`,
  `CREATE TRIGGER webhook_deliveries_updated_at BEFORE UPDATE ON webhook_deliveries FOR EACH ROW EXECUTE FUNCTION verso_set_updated_at()`,
  `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
  `CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id)`,
  `CREATE INDEX webhook_deliveries_webhook_list ON webhook_deliveries (site_id, webhook_id, id DESC)`,

  `CREATE TABLE webhook_attempts (
     id char(26) PRIMARY KEY CHECK (id ~ ${ULID}),
     site_id char(26) NOT NULL,
     delivery_id char(26) NOT NULL,
     status integer CHECK (status IS NULL OR status BETWEEN 100 AND 599),
     error text CHECK (error IS NULL OR length(error) <= 1000),
     body text CHECK (body IS NULL OR length(body) <= 2000),
     duration_ms integer NOT NULL CHECK (duration_ms >= 0),
     ${ENTITY},
     FOREIGN KEY (site_id, delivery_id) REFERENCES webhook_deliveries (site_id, id) ON DELETE CASCADE)`,
  `CREATE TRIGGER webhook_attempts_updated_at BEFORE UPDATE ON webhook_attempts FOR EACH ROW EXECUTE FUNCTION verso_set_updated_at()`,
  `CREATE INDEX webhook_attempts_delivery ON webhook_attempts (site_id, delivery_id, id)`,
];

const EVENT_ACTIONS = [
  'site.create', 'version.create', 'version.publish', 'version.unpublish', 'document.archive',
  'branch.create', 'branch.delete', 'branch.merge', 'comment.create', 'preview.create',
  'tag.create', 'key.create', 'key.revoke', 'index.repair',
].map((a) => `'${a}'`).join(', ');

// Down restores list CHECKs: the base list plus whatever actions are in use (an earlier
// migration of this release may have added some), after removing the events and subscriptions
// of the actions this migration introduced. It refuses (as it must) while global events exist.
const downStatements: string[] = [
  `DROP TABLE webhook_attempts`,
  `DROP TABLE webhook_deliveries`,
  `DROP INDEX webhooks_site`,
  `ALTER TABLE webhooks DROP COLUMN disabled_at`,
  `ALTER TABLE webhooks DROP COLUMN failure_run`,
  `ALTER TABLE webhooks DROP CONSTRAINT webhooks_events_check`,
  `ALTER TABLE webhooks ADD CONSTRAINT webhooks_events_check CHECK (cardinality(events) >= 1 AND array_position(events, NULL) IS NULL
     AND events <@ ARRAY['*', ${EVENT_ACTIONS}, __IN_USE__]::text[])`,
  `DROP INDEX change_events_global`,
  `DROP INDEX change_events_unconsumed`,
  `DROP INDEX change_events_unsynced`,
  `DROP INDEX change_events_user`,
  `DROP INDEX change_events_node`,
  `DROP INDEX change_events_hlc`,
  `ALTER TABLE change_events DROP COLUMN synced_at`,
  `ALTER TABLE change_events DROP COLUMN consumed_at`,
  `ALTER TABLE change_events DROP COLUMN new_values`,
  `ALTER TABLE change_events DROP COLUMN old_values`,
  `ALTER TABLE change_events DROP COLUMN actor_name`,
  `ALTER TABLE change_events DROP COLUMN user_id`,
  `ALTER TABLE change_events DROP CONSTRAINT change_events_action_check`,
  `ALTER TABLE change_events ADD CONSTRAINT change_events_action_check CHECK (action IN (${EVENT_ACTIONS}, __IN_USE__))`,
  `ALTER TABLE change_events ALTER COLUMN site_id SET NOT NULL`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of upStatements) await knex.raw(sql);
}

const OWN_ACTIONS = ['site.update', 'webhook.create', 'webhook.delete'];

export async function down(knex: Knex): Promise<void> {
  const own = OWN_ACTIONS.map((a) => `'${a}'`).join(', ');
  await knex.raw(`DELETE FROM change_events WHERE action IN (${own})`);
  for (const a of OWN_ACTIONS) await knex.raw(`UPDATE webhooks SET events = array_remove(events, '${a}') WHERE '${a}' = ANY (events)`);
  await knex.raw(`DELETE FROM webhooks WHERE cardinality(events) = 0`);
  const { rows } = (await knex.raw(
    `SELECT action FROM change_events UNION SELECT unnest(events) FROM webhooks`,
  )) as { rows: Array<{ action: string }> };
  const inUse = rows.map((r) => r.action).filter((a) => a !== '*' && /^[a-z._]+$/.test(a)).map((a) => `'${a}'`);
  const list = inUse.length ? inUse.join(', ') : "'site.create'";
  for (const sql of downStatements) await knex.raw(sql.replace('__IN_USE__', list));
}
