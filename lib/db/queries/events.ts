import type { Knex } from 'knex';
import type { Db } from '../connection.js';
import type { EventRow } from '../rows.js';

export interface NewEvent {
  id: string;
  /** null: a global event (an unscoped API key's creation or revocation). */
  site_id: string | null;
  document_id?: string | null;
  action: string;
  version_number?: number | null;
  commit_hash?: string | null;
  data?: Record<string, unknown>;
  hlc: bigint;
  node_id: string;
  /** The API key that made the change, when it came through the gateway. */
  user_id?: string | null;
  /** The key's name, or the author's for SDK and git writes. */
  actor_name?: string | null;
  old_values?: Record<string, unknown> | null;
  new_values?: Record<string, unknown> | null;
}

const jsonOrNull = (v: Record<string, unknown> | null | undefined) => (v ? JSON.stringify(v) : null);

// Subscribed: active, and listening to this action or to every action ('*').
const SUBSCRIBED = `w.active AND (e.action = ANY (w.events) OR '*' = ANY (w.events))`;

/**
 * The event row, inserted with its outbox state: consumed_at is set at once when no webhook
 * subscribes (nothing will ever consume it), else left NULL for the dispatcher.
 */
function eventInsert(db: Db, e: NewEvent): Knex.Raw {
  return db.raw(
    `INSERT INTO change_events (id, site_id, document_id, action, version_number, commit_hash, data, hlc, node_id,
       user_id, actor_name, old_values, new_values, consumed_at)
     SELECT e.*, CASE WHEN EXISTS (SELECT 1 FROM webhooks w WHERE w.site_id = e.site_id AND ${SUBSCRIBED}) THEN NULL ELSE now() END
       FROM (SELECT ?::char(26) AS id, ?::char(26) AS site_id, ?::char(26) AS document_id, ?::text AS action,
               ?::integer AS version_number, ?::char(40) AS commit_hash, ?::jsonb AS data, ?::bigint AS hlc,
               ?::char(26) AS node_id, ?::char(26) AS user_id, ?::text AS actor_name, ?::jsonb AS old_values,
               ?::jsonb AS new_values) AS e
     RETURNING id, site_id, action, node_id, hlc`,
    [
      e.id, e.site_id, e.document_id ?? null, e.action, e.version_number ?? null, e.commit_hash ?? null,
      JSON.stringify(e.data ?? {}), String(e.hlc), e.node_id, e.user_id ?? null, e.actor_name ?? null,
      jsonOrNull(e.old_values), jsonOrNull(e.new_values),
    ],
  );
}

/**
 * The outbox fan-out (DESIGN.md "Webhooks"): one delivery per subscribed webhook, written by
 * the same statement as the event, so an event and its deliveries commit or vanish together.
 * A delivery's id is derived from (event, webhook): the event's ULID time part, then 16 hex
 * digits of md5(event || webhook), which are Crockford base32 too. Deterministic, so it needs
 * no id from the application for rows it cannot count in advance, and sorts like its event.
 */
const DELIVERIES = `INSERT INTO webhook_deliveries (id, site_id, webhook_id, event_id, action, node_id, hlc_modified)
  SELECT left(e.id, 10) || upper(left(md5(e.id || w.id), 16)), e.site_id, w.id, e.id, e.action, e.node_id, e.hlc
    FROM event e JOIN webhooks w ON w.site_id = e.site_id AND ${SUBSCRIBED}`;

/** Appends an event and its webhook deliveries in one statement. */
export async function insertEvent(db: Db, e: NewEvent): Promise<void> {
  await db.queryBuilder().with('event', eventInsert(db, e)).with('deliveries', db.raw(DELIVERIES)).select(db.raw('1'));
}

/**
 * Adds the event (and its deliveries) to another statement as data-modifying WITHs: one round
 * trip for a version and its event on the save path. The rows are independent, so their order
 * inside the statement is free.
 */
export function withEvent<T extends Knex.QueryBuilder>(db: Db, query: T, e: NewEvent): T {
  return query.with('event', eventInsert(db, e)).with('deliveries', db.raw(DELIVERIES)) as T;
}

export type EventListRow = EventRow & { type: string | null; key: string | null; locale: string | null };

export async function listEventRows(db: Db, a: { siteId: string; after?: string; limit: number }): Promise<EventListRow[]> {
  const q = db('change_events as e')
    .leftJoin('documents as d', function () {
      this.on('d.id', 'e.document_id').andOn('d.site_id', 'e.site_id');
    })
    .where('e.site_id', a.siteId)
    .select('e.*', 'd.type', 'd.key', 'd.locale')
    .orderBy('e.id', 'asc')
    .limit(a.limit);
  if (a.after) q.where('e.id', '>', a.after);
  return (await q) as EventListRow[];
}

export async function findEventRow(db: Db, siteId: string, id: string): Promise<EventListRow | undefined> {
  return (await db('change_events as e')
    .leftJoin('documents as d', function () {
      this.on('d.id', 'e.document_id').andOn('d.site_id', 'e.site_id');
    })
    .where({ 'e.site_id': siteId, 'e.id': id })
    .select('e.*', 'd.type', 'd.key', 'd.locale')
    .first()) as EventListRow | undefined;
}

/** True when the index already announced this version (so a re-index appends no duplicate). */
export async function versionEventExists(db: Db, siteId: string, documentId: string, commit: string): Promise<boolean> {
  return !!(await db('change_events').where({ site_id: siteId, document_id: documentId, commit_hash: commit, action: 'version.create' }).first('id'));
}

/** True when an event with this action and commit exists (repairs append a missing one once). */
export async function eventExists(db: Db, siteId: string, action: string, commit: string, documentId?: string, data?: Record<string, string>): Promise<boolean> {
  const q = db('change_events').where({ site_id: siteId, action, commit_hash: commit });
  if (documentId) q.where({ document_id: documentId });
  for (const [k, v] of Object.entries(data ?? {})) q.whereRaw('data ->> ? = ?', [k, v]);
  return !!(await q.first('id'));
}
