/** Deliveries of a webhook (newest first, with every attempt) and redelivery on demand. */
import { findDeliveryRow, findWebhookRow, listAttemptRows, listDeliveryRows, resetDelivery, type AttemptRow, type DeliveryRow } from '../db/queries/webhooks.js';
import { iso } from '../db/rows.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import type { Delivery, Page } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { decodeCursor, encodeCursor, parseLimit } from './inputs.js';
import { parseWebhookId } from './webhooks.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function toDelivery(r: DeliveryRow, attempts: AttemptRow[]): Delivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    eventId: r.event_id,
    action: r.action,
    status: r.status,
    attempts: r.attempts,
    ...(r.last_status !== null ? { lastStatus: r.last_status } : {}),
    ...(r.status === 'pending' ? { nextAttemptAt: iso(r.next_attempt_at) } : {}),
    ...(r.delivered_at ? { deliveredAt: iso(r.delivered_at) } : {}),
    history: attempts.filter((a) => a.delivery_id === r.id).map((a) => ({
      at: iso(a.created_at),
      ...(a.status !== null ? { status: a.status } : {}),
      ...(a.body !== null ? { body: a.body } : {}),
      ...(a.error !== null ? { error: a.error } : {}),
      durationMs: a.duration_ms,
    })),
  };
}

export async function listDeliveries({ ctx, site, webhookId, opts = {} }: { ctx: OpContext; site: SiteRef; webhookId: string; opts?: { limit?: number; cursor?: string } }): Promise<Page<Delivery>> {
  const id = parseWebhookId(webhookId, 'webhookId');
  const limit = parseLimit(opts.limit, 50, 500);
  const before = decodeCursor(opts.cursor, (v): v is string => typeof v === 'string' && ULID.test(v));
  if (!(await findWebhookRow(ctx.knex, site.id, id))) throw new NotFoundError(`webhook ${id} does not exist`, { id });
  const rows = await listDeliveryRows(ctx.knex, { siteId: site.id, webhookId: id, before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const attempts = await listAttemptRows(ctx.knex, site.id, page.map((r) => r.id));
  const items = page.map((r) => toDelivery(r, attempts));
  const last = items[items.length - 1];
  return rows.length > limit && last ? { items, next: encodeCursor(last.id) } : { items };
}

export async function redeliver({ ctx, site, deliveryId }: { ctx: OpContext; site: SiteRef; deliveryId: string }): Promise<Delivery> {
  if (typeof deliveryId !== 'string' || !ULID.test(deliveryId)) throw new ValidationError('deliveryId must be a delivery id', { field: 'deliveryId' });
  const row = await ctx.knex.transaction(async (trx) => {
    if (!(await findDeliveryRow(trx, site.id, deliveryId))) throw new NotFoundError(`delivery ${deliveryId} does not exist`, { id: deliveryId });
    return resetDelivery(trx, site.id, deliveryId, ctx.clock.tick());
  });
  if (!row) throw new NotFoundError(`delivery ${deliveryId} does not exist`, { id: deliveryId });
  return toDelivery(row, await listAttemptRows(ctx.knex, site.id, [row.id]));
}
