/** events: the site's change feed in order, after a given event id (ULIDs sort by time). */
import { listEventRows, type EventListRow } from '../db/queries/events.js';
import { iso, json } from '../db/rows.js';
import { ValidationError } from '../errors/index.js';
import { hlcToString } from '../clock.js';
import type { ChangeEvent, Page } from '../types.js';
import { actorOf } from './actor.js';
import type { OpContext, SiteRef } from './context.js';
import { parseLimit } from './inputs.js';

const EVENT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function parseEventId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !EVENT_ID.test(value)) throw new ValidationError(`${field} must be an event id`, { field });
  return value;
}

/** The public shape of a stored event. */
export function toChangeEvent(siteSlug: string, r: EventListRow): ChangeEvent {
  const actor = actorOf(r);
  return {
    id: r.id,
    site: siteSlug,
    type: r.type ?? '',
    ...(r.key ? { key: r.key } : {}),
    ...(r.locale ? { locale: r.locale } : {}),
    action: r.action,
    ...(r.version_number !== null ? { versionNumber: r.version_number } : {}),
    ...(r.commit_hash ? { commit: r.commit_hash } : {}),
    hlc: hlcToString(BigInt(r.hlc)),
    nodeId: r.node_id,
    createdAt: iso(r.created_at),
    data: json(r.data),
    ...(actor ? { actor } : {}),
    ...(r.old_values ? { oldValues: json(r.old_values) } : {}),
    ...(r.new_values ? { newValues: json(r.new_values) } : {}),
  };
}

export async function listEvents({ ctx, site, opts = {} }: { ctx: OpContext; site: SiteRef; opts?: { after?: string; limit?: number } }): Promise<Page<ChangeEvent>> {
  const limit = parseLimit(opts.limit, 100, 1000);
  const after = opts.after === undefined ? undefined : parseEventId(opts.after, 'after');
  const rows = await listEventRows(ctx.knex, { siteId: site.id, after, limit: limit + 1 });
  const items = rows.slice(0, limit).map((r) => toChangeEvent(site.slug, r));
  const last = items[items.length - 1];
  return rows.length > limit && last ? { items, next: last.id } : { items };
}
