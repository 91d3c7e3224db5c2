/** events: the site's change feed in order, after a given event id (ULIDs sort by time). */
import { listEventRows } from '../db/queries/events.js';
import { iso, json } from '../db/rows.js';
import { ValidationError } from '../errors/index.js';
import { hlcToString } from '../clock.js';
import type { ChangeEvent, Page } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { parseLimit } from './inputs.js';

export async function listEvents({ ctx, site, opts = {} }: { ctx: OpContext; site: SiteRef; opts?: { after?: string; limit?: number } }): Promise<Page<ChangeEvent>> {
  const limit = parseLimit(opts.limit, 100, 1000);
  if (opts.after !== undefined && (typeof opts.after !== 'string' || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(opts.after))) {
    throw new ValidationError('after must be an event id', { field: 'after' });
  }
  const rows = await listEventRows(ctx.knex, { siteId: site.id, after: opts.after, limit: limit + 1 });
  const items: ChangeEvent[] = rows.slice(0, limit).map((r) => ({
    id: r.id,
    site: site.slug,
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
  }));
  const last = items[items.length - 1];
  return rows.length > limit && last ? { items, next: last.id } : { items };
}
