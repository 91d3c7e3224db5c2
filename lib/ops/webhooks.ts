/**
 * Webhooks of a site: create (the signing secret shown once, stored AES-256-GCM encrypted),
 * list, delete. Each is a change event too (webhook.create, webhook.delete), written in the
 * same transaction. Deliveries come from the outbox (db/queries/events.ts, webhooks/dispatcher.ts).
 */
import { insertEvent } from '../db/queries/events.js';
import { deleteWebhookRow, insertWebhook, listWebhookRows, type WebhookRow } from '../db/queries/webhooks.js';
import { iso } from '../db/rows.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { EVENT_ACTIONS, isEventAction } from '../events/actions.js';
import { encryptSecret, loadSecretKey } from '../secrets.js';
import type { CreateWebhookInput, Webhook } from '../types.js';
import { privateRemotesAllowed, webhookUrlProblem } from '../webhooks/address.js';
import { isWebhookSecret, newWebhookSecret } from '../webhooks/sign.js';
import { actorColumns } from './actor.js';
import { stamp, type OpContext, type SiteRef } from './context.js';


const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function toWebhook(r: WebhookRow): Webhook {
  return { id: r.id, url: r.url, events: r.events, createdAt: iso(r.created_at), disabled: !r.active };
}

export function parseWebhookId(id: unknown, field = 'id'): string {
  if (typeof id !== 'string' || !ULID.test(id)) throw new ValidationError(`${field} must be a webhook id`, { field });
  return id;
}

/** The receiver URL: http(s), bounded, and (unless VERSO_ALLOW_PRIVATE_REMOTES) not a private address. */
export function parseWebhookUrl(url: unknown): string {
  if (typeof url !== 'string' || url.length > 2048 || !/^https?:\/\/[^\s\p{Cc}]+$/u.test(url)) {
    throw new ValidationError('url must be an http(s) URL of at most 2048 characters', { field: 'url' });
  }
  const problem = webhookUrlProblem(url, privateRemotesAllowed());
  if (problem) throw new ValidationError(problem, { field: 'url' });
  return url;
}

export function parseEvents(events: unknown): string[] {
  if (events === undefined) return ['*'];
  if (!Array.isArray(events) || events.length === 0 || events.length > 100) {
    throw new ValidationError('events must be a non-empty list of actions', { field: 'events' });
  }
  for (const e of events) {
    if (typeof e !== 'string' || (e !== '*' && !isEventAction(e))) {
      throw new ValidationError(`events: ${JSON.stringify(e)} is not an action (one of ${EVENT_ACTIONS.join(', ')}, or *)`, { field: 'events' });
    }
  }
  return [...new Set(events as string[])];
}

export async function createWebhook({ ctx, site, input }: { ctx: OpContext; site: SiteRef; input: CreateWebhookInput }): Promise<Webhook & { secret: string }> {
  if (!input || typeof input !== 'object') throw new ValidationError('createWebhook needs an input object', { field: 'input' });
  refuseUnknownFields(input, ['url', 'events', 'secret']);
  parseWebhookUrl(input.url);
  const events = parseEvents(input.events);
  if (input.secret !== undefined && (typeof input.secret !== 'string' || !isWebhookSecret(input.secret))) {
    throw new ValidationError('secret must be whsec_ followed by 24 to 64 bytes of base64', { field: 'secret' });
  }
  const secret = input.secret ?? newWebhookSecret();
  const key = await loadSecretKey(ctx.dataDir);
  const id = ctx.newId();
  const s = stamp(ctx);
  const row = { id, site_id: site.id, url: input.url, events, secret_encrypted: encryptSecret(key, secret), ...s };
  await ctx.knex.transaction(async (trx) => {
    await insertWebhook(trx, row);
    await insertEvent(trx, {
      id: ctx.newId(), site_id: site.id, action: 'webhook.create', data: { webhook: id, url: input.url, events },
      new_values: { url: input.url, events }, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx),
    });
  });
  return { id, url: input.url, events, createdAt: new Date().toISOString(), disabled: false, secret };
}

export async function listWebhooks({ ctx, site }: { ctx: OpContext; site: SiteRef }): Promise<Webhook[]> {
  return (await listWebhookRows(ctx.knex, site.id)).map(toWebhook);
}

export async function deleteWebhook({ ctx, site, id }: { ctx: OpContext; site: SiteRef; id: string }): Promise<void> {
  const webhookId = parseWebhookId(id);
  const s = stamp(ctx);
  await ctx.knex.transaction(async (trx) => {
    if (!(await deleteWebhookRow(trx, site.id, webhookId))) throw new NotFoundError(`webhook ${webhookId} does not exist`, { id: webhookId });
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, action: 'webhook.delete', data: { webhook: webhookId }, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx) });
  });
}

/** Unknown fields are refused, embedded and remote alike (the gateway's schema does the same). */
export function refuseUnknownFields(input: object, known: readonly string[]): void {
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length) throw new ValidationError(`unknown field ${unknown[0]}`, { field: unknown[0] });
}
