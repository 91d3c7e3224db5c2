/** docs: a site's documents with filters, in keyset pages ordered by type, key (natural order: post-2 before post-10), locale. */
import { listDocuments } from '../db/queries/documents.js';
import { iso } from '../db/rows.js';
import { ValidationError } from '../errors/index.js';
import { parseLocale, parseSlug } from '../ids.js';
import type { DocsFilter, DocSummary, Page } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { decodeCursor, encodeCursor, parseEnum, parseLimit } from './inputs.js';

const isAfter = (v: unknown): v is [string, string, string] => Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string');

export async function listDocs({ ctx, site, filter = {} }: { ctx: OpContext; site: SiteRef; filter?: DocsFilter }): Promise<Page<DocSummary>> {
  const limit = parseLimit(filter.limit);
  if (filter.q !== undefined && (typeof filter.q !== 'string' || filter.q.length > 200)) throw new ValidationError('q must be at most 200 characters', { field: 'q' });
  const rows = await listDocuments(ctx.knex, {
    siteId: site.id,
    type: filter.type === undefined ? undefined : parseSlug(filter.type, 'type'),
    locale: filter.locale === undefined ? undefined : parseLocale(filter.locale),
    state: filter.state === undefined ? undefined : parseEnum(filter.state, ['draft', 'published'] as const, 'state', 'draft'),
    q: filter.q || undefined,
    limit: limit + 1,
    after: decodeCursor(filter.cursor, isAfter),
  });
  const items: DocSummary[] = rows.slice(0, limit).map((r) => ({
    site: site.slug,
    type: r.type,
    key: r.key,
    locale: r.locale,
    format: r.format,
    archived: r.archived_at !== null,
    latestVersion: r.latest_number,
    ...(r.draft_number !== null ? { draftVersion: r.draft_number } : {}),
    ...(r.published_number !== null ? { publishedVersion: r.published_number } : {}),
    updatedAt: iso(r.updated_at),
  }));
  const last = items[items.length - 1];
  return rows.length > limit && last ? { items, next: encodeCursor([last.type, last.key, last.locale]) } : { items };
}
