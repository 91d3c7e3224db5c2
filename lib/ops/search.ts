/**
 * search: full text over a site's documents (db/queries/search.ts). The current drafts by
 * default, the published versions with state 'published', every version with history. The
 * query is parsed with the configuration of each of the site's locales (or of the one asked
 * for), so a word is stemmed the way the documents of that locale were.
 */
import { searchRows } from '../db/queries/search.js';
import { iso } from '../db/rows.js';
import { ValidationError } from '../errors/index.js';
import { parseLocale, parseSlug } from '../ids.js';
import { searchConfig } from '../search/extract.js';
import type { Page, SearchHit, SearchOptions } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { decodeCursor, encodeCursor, parseEnum, parseLimit } from './inputs.js';
import { refuseUnknownFields } from './webhooks.js';

const OPEN = '\u0001';
const CLOSE = '\u0002';
// Markers no extracted text contains (extract.ts drops control characters), so after escaping
// everything else, only they become <mark>.
const HEADLINE = `StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=35, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function markSnippet(raw: string): string {
  return escapeHtml(raw).split(OPEN).join('<mark>').split(CLOSE).join('</mark>');
}

export async function search({ ctx, site, q, opts = {} }: { ctx: OpContext; site: SiteRef; q: string; opts?: SearchOptions }): Promise<Page<SearchHit>> {
  if (typeof q !== 'string' || !q.trim() || q.length > 500) throw new ValidationError('q must be 1 to 500 characters', { field: 'q' });
  if (opts === null || typeof opts !== 'object') throw new ValidationError('search options must be an object', { field: 'opts' });
  refuseUnknownFields(opts, ['type', 'locale', 'state', 'history', 'limit', 'cursor']);
  const limit = parseLimit(opts.limit, 20, 100);
  const locale = opts.locale === undefined ? undefined : parseLocale(opts.locale);
  const type = opts.type === undefined ? undefined : parseSlug(opts.type, 'type');
  const state = opts.state === undefined ? undefined : parseEnum(opts.state, ['draft', 'published'] as const, 'state', 'draft');
  if (opts.history !== undefined && typeof opts.history !== 'boolean') throw new ValidationError('history must be true or false', { field: 'history' });
  if (opts.history && state) throw new ValidationError('history searches every version; it takes no state', { field: 'state' });
  const offset = decodeCursor(opts.cursor, (v): v is number => Number.isInteger(v) && (v as number) > 0) ?? 0;
  const configs = [...new Set((locale ? [locale] : site.locales).map(searchConfig))];
  // Vectors of versions committed before this search began, still pending, are built first.
  await ctx.searchIndex.catchUp(site.id);
  const rows = await searchRows(ctx.knex, {
    siteId: site.id, q: q.trim(), configs, type, locale, scope: opts.history ? 'history' : (state ?? 'draft'),
    limit: limit + 1, offset, headline: HEADLINE,
  });
  const items: SearchHit[] = rows.slice(0, limit).map((r) => ({
    doc: {
      site: site.slug, type: r.type, key: r.key, locale: r.locale, format: r.format, archived: r.archived_at !== null,
      latestVersion: r.latest_number,
      ...(r.draft_number !== null ? { draftVersion: r.draft_number } : {}),
      ...(r.published_number !== null ? { publishedVersion: r.published_number } : {}),
      updatedAt: iso(r.updated_at),
    },
    versionNumber: r.version_number,
    snippet: markSnippet(r.snippet),
    rank: Number(r.rank),
  }));
  return rows.length > limit ? { items, next: encodeCursor(offset + limit) } : { items };
}
