/**
 * updateWebhook: a new url or event list, or a change of state. A run of failed deliveries
 * disables a webhook (VERSO_WEBHOOK_DISABLE_AFTER); `disabled: false` is how an operator turns it
 * back on once the receiver is fixed. Re-enabling starts the failure run from 0 and lets the
 * deliveries still pending go out again; events that happened while it was disabled got no
 * delivery and are not replayed (redeliver sends a failed one again). One webhook.update event,
 * in the same transaction, with the old and new values.
 */
import { insertEvent } from '../db/queries/events.js';
import { findWebhookRow, updateWebhookRow, type WebhookPatch } from '../db/queries/webhooks.js';
import { NotFoundError } from '../errors/index.js';
import { checkInput } from '../schemas/check.js';
import { webhookInputs } from '../schemas/inputs.js';
import type { UpdateWebhookInput, Webhook } from '../types.js';
import { actorColumns } from './actor.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { parseEvents, parseWebhookId, parseWebhookUrl, toWebhook } from './webhooks.js';

export async function updateWebhook({ ctx, site, id, input }: { ctx: OpContext; site: SiteRef; id: string; input: UpdateWebhookInput }): Promise<Webhook> {
  const webhookId = parseWebhookId(id);
  const i = checkInput<UpdateWebhookInput>(webhookInputs.updateWebhook, input);
  const patch: WebhookPatch = {};
  if (i.url !== undefined) patch.url = parseWebhookUrl(i.url);
  if (i.events !== undefined) patch.events = parseEvents(i.events);
  if (i.disabled !== undefined) patch.active = !i.disabled;
  const s = stamp(ctx);
  return ctx.knex.transaction(async (trx) => {
    const before = await findWebhookRow(trx, site.id, webhookId);
    if (!before) throw new NotFoundError(`webhook ${webhookId} does not exist`, { id: webhookId });
    const after = (await updateWebhookRow(trx, site.id, webhookId, patch, s))!;
    const old = toWebhook(before);
    const now = toWebhook(after);
    const fields = (['url', 'events', 'disabled'] as const).filter((f) => JSON.stringify(old[f]) !== JSON.stringify(now[f]));
    if (fields.length) {
      await insertEvent(trx, {
        id: ctx.newId(), site_id: site.id, action: 'webhook.update', data: { webhook: webhookId, changed: fields },
        old_values: Object.fromEntries(fields.map((f) => [f, old[f]])), new_values: Object.fromEntries(fields.map((f) => [f, now[f]])),
        hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx),
      });
    }
    return now;
  });
}
