import type { Db } from '../connection.js';
import type { EventListRow } from './events.js';
import type { Stamp } from './sites.js';

export interface WebhookRow {
  id: string;
  site_id: string;
  url: string;
  events: string[];
  secret_encrypted: Buffer;
  active: boolean;
  failure_run: number;
  disabled_at: Date | string | null;
  created_at: Date | string;
}

export interface DeliveryRow {
  id: string;
  site_id: string;
  webhook_id: string;
  event_id: string;
  action: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Date | string;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | string | null;
}

export interface AttemptRow {
  delivery_id: string;
  status: number | null;
  error: string | null;
  body: string | null;
  duration_ms: number;
  created_at: Date | string;
}

export async function insertWebhook(db: Db, row: { id: string; site_id: string; url: string; events: string[]; secret_encrypted: Buffer } & Stamp): Promise<void> {
  await db('webhooks').insert(row);
}

export async function listWebhookRows(db: Db, siteId: string): Promise<WebhookRow[]> {
  return (await db('webhooks').where({ site_id: siteId }).orderBy('id')) as WebhookRow[];
}

export async function findWebhookRow(db: Db, siteId: string, id: string): Promise<WebhookRow | undefined> {
  return (await db('webhooks').where({ site_id: siteId, id }).first()) as WebhookRow | undefined;
}

export interface WebhookPatch {
  url?: string;
  events?: string[];
  /** true re-enables a disabled webhook: its run of failures starts again from 0. */
  active?: boolean;
}

/** Applies a patch; undefined when the webhook does not exist. */
export async function updateWebhookRow(db: Db, siteId: string, id: string, patch: WebhookPatch, stamp: Stamp): Promise<WebhookRow | undefined> {
  const set: Record<string, unknown> = { ...stamp };
  if (patch.url !== undefined) set.url = patch.url;
  if (patch.events !== undefined) set.events = patch.events;
  if (patch.active === true) Object.assign(set, { active: true, failure_run: db.raw('CASE WHEN active THEN failure_run ELSE 0 END'), disabled_at: null });
  // Only a change of state moves disabled_at: disabling a disabled webhook keeps when it stopped.
  if (patch.active === false) Object.assign(set, { active: false, disabled_at: db.raw('CASE WHEN active THEN now() ELSE disabled_at END') });
  const [row] = (await db('webhooks').where({ site_id: siteId, id }).update(set).returning('*')) as WebhookRow[];
  return row;
}

export async function deleteWebhookRow(db: Db, siteId: string, id: string): Promise<boolean> {
  return (await db('webhooks').where({ site_id: siteId, id }).del().returning('id')).length > 0;
}

/** Newest first, keyset-paged by id. */
export async function listDeliveryRows(db: Db, a: { siteId: string; webhookId: string; before?: string; limit: number }): Promise<DeliveryRow[]> {
  const q = db('webhook_deliveries').where({ site_id: a.siteId, webhook_id: a.webhookId }).orderBy('id', 'desc').limit(a.limit);
  if (a.before) q.where('id', '<', a.before);
  return (await q) as DeliveryRow[];
}

export async function findDeliveryRow(db: Db, siteId: string, id: string): Promise<DeliveryRow | undefined> {
  return (await db('webhook_deliveries').where({ site_id: siteId, id }).first()) as DeliveryRow | undefined;
}

export async function listAttemptRows(db: Db, siteId: string, deliveryIds: string[]): Promise<AttemptRow[]> {
  if (!deliveryIds.length) return [];
  return (await db('webhook_attempts').where('site_id', siteId).whereIn('delivery_id', deliveryIds).orderBy('id')) as AttemptRow[];
}

/** Due again now, with a fresh retry budget; the attempts so far stay in webhook_attempts. */
export async function resetDelivery(db: Db, siteId: string, id: string, hlc: bigint): Promise<DeliveryRow | undefined> {
  const [row] = (await db('webhook_deliveries')
    .where({ site_id: siteId, id })
    .update({ status: 'pending', attempts: 0, next_attempt_at: db.fn.now(), delivered_at: null, hlc_modified: String(hlc) })
    .returning('*')) as DeliveryRow[];
  if (row) await db('change_events').where({ site_id: siteId, id: row.event_id }).update({ consumed_at: null });
  return row;
}

export interface ClaimedDelivery extends DeliveryRow {
  url: string;
  secret_encrypted: Buffer;
}

/**
 * Claims due deliveries of active webhooks for `leaseMs`: FOR UPDATE SKIP LOCKED makes
 * concurrent claimers (several gateways on one PostgreSQL) take disjoint rows, and the lease
 * (next_attempt_at pushed past the request's timeout) keeps a claimed row from being claimed
 * again while it is being sent. A dispatcher that dies mid-send leaves the row to be claimed
 * again when the lease ends: delivery is at least once.
 */
export async function claimDueDeliveries(db: Db, a: { limit: number; leaseMs: number }): Promise<ClaimedDelivery[]> {
  const { rows } = (await db.raw(
    `WITH due AS (
       SELECT d.site_id, d.id FROM webhook_deliveries d
         JOIN webhooks w ON w.site_id = d.site_id AND w.id = d.webhook_id AND w.active
        WHERE d.status = 'pending' AND d.next_attempt_at <= now()
        ORDER BY d.next_attempt_at
        LIMIT ?
        FOR UPDATE OF d SKIP LOCKED)
     UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => ?::double precision / 1000)
       FROM due, webhooks w
      WHERE d.site_id = due.site_id AND d.id = due.id AND w.site_id = d.site_id AND w.id = d.webhook_id
      RETURNING d.*, w.url, w.secret_encrypted`,
    [a.limit, a.leaseMs],
  )) as { rows: ClaimedDelivery[] };
  return rows;
}

export async function findEventForDelivery(db: Db, siteId: string, eventId: string): Promise<(EventListRow & { site_slug: string }) | undefined> {
  return (await db('change_events as e')
    .join('sites as s', 's.id', 'e.site_id')
    .leftJoin('documents as d', function () {
      this.on('d.id', 'e.document_id').andOn('d.site_id', 'e.site_id');
    })
    .where({ 'e.site_id': siteId, 'e.id': eventId })
    .select('e.*', 'd.type', 'd.key', 'd.locale', 's.slug as site_slug')
    .first()) as (EventListRow & { site_slug: string }) | undefined;
}

export interface AttemptOutcome {
  attemptId: string;
  status?: number;
  body?: string;
  error?: string;
  durationMs: number;
  delivered: boolean;
  /** undefined: no more attempts (failed). */
  retryInMs?: number;
  disableAfter: number;
  hlc: bigint;
  nodeId: string;
}

/**
 * Records one attempt: its row, the delivery's new state, the webhook's run of failed
 * deliveries (reset by a success; the webhook is disabled when the run reaches disableAfter),
 * and the event's consumed_at once none of its deliveries is pending.
 */
export async function recordAttempt(db: Db, d: DeliveryRow, o: AttemptOutcome): Promise<void> {
  const hlc = String(o.hlc);
  await db('webhook_attempts').insert({
    id: o.attemptId, site_id: d.site_id, delivery_id: d.id, status: o.status ?? null, error: o.error ?? null,
    body: o.body ?? null, duration_ms: o.durationMs, node_id: o.nodeId, hlc_modified: hlc,
  });
  const failed = !o.delivered && o.retryInMs === undefined;
  await db('webhook_deliveries').where({ site_id: d.site_id, id: d.id }).update({
    status: o.delivered ? 'delivered' : failed ? 'failed' : 'pending',
    attempts: db.raw('attempts + 1'),
    last_status: o.status ?? null,
    last_error: o.error ?? null,
    delivered_at: o.delivered ? db.fn.now() : null,
    next_attempt_at: o.retryInMs === undefined ? db.fn.now() : db.raw(`now() + make_interval(secs => ?::double precision / 1000)`, [o.retryInMs]),
    hlc_modified: hlc,
  });
  const hook = db('webhooks').where({ site_id: d.site_id, id: d.webhook_id });
  if (o.delivered) await hook.clone().where('failure_run', '>', 0).update({ failure_run: 0, hlc_modified: hlc });
  if (failed) {
    await hook.clone().update({ failure_run: db.raw('failure_run + 1'), hlc_modified: hlc });
    await hook.clone().where('failure_run', '>=', o.disableAfter).where('active', true).update({ active: false, disabled_at: db.fn.now(), hlc_modified: hlc });
  }
  if (o.delivered || failed) {
    await db('change_events').where({ site_id: d.site_id, id: d.event_id }).whereNull('consumed_at')
      .whereNotExists(db('webhook_deliveries').where({ site_id: d.site_id, event_id: d.event_id, status: 'pending' }).select(db.raw('1')))
      .update({ consumed_at: db.fn.now() });
  }
}
