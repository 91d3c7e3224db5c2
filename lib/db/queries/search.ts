import type { Knex } from 'knex';
import type { Db } from '../connection.js';
import type { DocListRow } from './documents.js';

export interface SearchRow {
  site_id: string;
  document_id: string;
  version_number: number;
  config: string;
  title: string;
  body: string;
  node_id: string;
  hlc_modified: bigint;
}

/**
 * The tsvector of a version from SQL expressions for its configuration, title and body. Titles
 * weigh A, bodies D (ts_rank's default weights make an A match 10x a D match). Exported so a
 * bulk seed (bench/scenarios/search.ts) builds exactly the vectors indexing builds.
 */
export const searchVectorSql = (config: string, title: string, body: string): string =>
  `setweight(to_tsvector(${config}::regconfig, ${title}), 'A') || setweight(to_tsvector(${config}::regconfig, ${body}), 'D')`;
const COLUMNS = 'site_id, document_id, version_number, config, title, body, node_id, hlc_modified';
const values = (r: SearchRow) => [r.site_id, r.document_id, r.version_number, r.config, r.title, r.body, r.node_id, String(r.hlc_modified)];

/**
 * The search row of a fresh version, as a statement to add to the version's own INSERT (a
 * data-modifying WITH: no round trip of its own). Its vector is pending (NULL): building it is
 * the costly part, and fillPendingVectors does it after the save commits (migration
 * 20261202000002_search_pending).
 */
export function searchRowInsert(db: Db, r: SearchRow): Knex.Raw {
  return db.raw(`INSERT INTO version_search (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, values(r));
}

/** Writes (or rewrites, for reindex) the search row of one version; its vector is pending again. */
export async function upsertSearchRow(db: Db, r: SearchRow): Promise<void> {
  await db.raw(
    `INSERT INTO version_search (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (site_id, document_id, version_number) DO UPDATE
       SET config = EXCLUDED.config, title = EXCLUDED.title, body = EXCLUDED.body, vector = NULL,
           node_id = EXCLUDED.node_id, hlc_modified = EXCLUDED.hlc_modified`,
    values(r),
  );
}

const FILL_VECTOR = searchVectorSql('vs.config', 'vs.title', 'vs.body');

/**
 * Builds the vectors of up to `limit` pending search rows of a site; the number built. With
 * `skipLocked`, rows another filler holds are left to it (the background never waits); without,
 * they are waited for and, once built, no longer pending (a search must see them all).
 */
export async function fillPendingVectors(db: Db, siteId: string, limit: number, o: { skipLocked: boolean }): Promise<number> {
  const { rows } = (await db.raw(
    `UPDATE version_search vs SET vector = ${FILL_VECTOR}
       FROM (SELECT site_id, document_id, version_number FROM version_search
              WHERE site_id = ? AND vector IS NULL
              LIMIT ? FOR UPDATE${o.skipLocked ? ' SKIP LOCKED' : ''}) AS p
      WHERE vs.site_id = p.site_id AND vs.document_id = p.document_id AND vs.version_number = p.version_number
      RETURNING 1`,
    [siteId, limit],
  )) as { rows: unknown[] };
  return rows.length;
}

export interface SearchQuery {
  siteId: string;
  q: string;
  /** The configurations to parse the query with (one per locale the site has). */
  configs: string[];
  type?: string;
  locale?: string;
  scope: 'draft' | 'published' | 'history';
  limit: number;
  offset: number;
  /** ts_headline options; the markers are control characters the extractor removed. */
  headline: string;
}

export type SearchResultRow = DocListRow & { version_number: number; rank: number; snippet: string };

/**
 * Full-text search: the query is parsed once per configuration (websearch syntax: words,
 * "phrases", -not, or), each row matched with its own locale's query, ranked by ts_rank_cd,
 * and only the page's rows get a ts_headline (it re-parses the text, the costly part).
 */
export async function searchRows(db: Db, s: SearchQuery): Promise<SearchResultRow[]> {
  const bindings: Array<string | number> = [];
  const values = s.configs.map((c) => {
    bindings.push(c, c, s.q);
    return `(?::text, websearch_to_tsquery(?::regconfig, ?))`;
  }).join(', ');
  const where: string[] = ['vs.site_id = ?', 'vs.vector @@ q.query'];
  bindings.push(s.siteId);
  if (s.scope === 'draft') where.push('v.is_current_draft', 'd.archived_at IS NULL');
  if (s.scope === 'published') where.push('v.is_current_published');
  if (s.type) {
    where.push('d.type = ?');
    bindings.push(s.type);
  }
  if (s.locale) {
    where.push('d.locale = ?');
    bindings.push(s.locale);
  }
  bindings.push(s.limit, s.offset, s.headline);
  const { rows } = (await db.raw(
    `SELECT hit.*, ts_headline(hit.config::regconfig, hit.title || E'\\n' || hit.body, hit.query, ?) AS snippet
       FROM (SELECT d.*, vs.version_number, vs.config, vs.title, vs.body, q.query,
                    ts_rank_cd(vs.vector, q.query) AS rank,
                    (SELECT number FROM content_versions c WHERE c.site_id = d.site_id AND c.document_id = d.id AND c.is_current_draft) AS draft_number,
                    (SELECT number FROM content_versions c WHERE c.site_id = d.site_id AND c.document_id = d.id AND c.is_current_published) AS published_number
               FROM (VALUES ${values}) AS q(config, query)
               JOIN version_search vs ON vs.config = q.config
               JOIN content_versions v ON v.site_id = vs.site_id AND v.document_id = vs.document_id AND v.number = vs.version_number
               JOIN documents d ON d.site_id = vs.site_id AND d.id = vs.document_id
              WHERE ${where.join(' AND ')}
              ORDER BY rank DESC, d.type, d.key, d.locale, vs.version_number DESC
              LIMIT ? OFFSET ?) AS hit
      ORDER BY hit.rank DESC, hit.type, hit.key, hit.locale, hit.version_number DESC`,
    [...bindings.slice(-1), ...bindings.slice(0, -1)],
  )) as { rows: SearchResultRow[] };
  return rows;
}
