import type { Db } from '../connection.js';
import type { VersionRow } from '../rows.js';
import { withEvent, type NewEvent } from './events.js';
import { searchRowInsert, type SearchRow } from './search.js';

export type NewVersionRow = Omit<VersionRow, 'created_at' | 'metadata'> & {
  metadata: string;
  created_at: Date;
  node_id: string;
  hlc_modified: bigint;
};

/**
 * The columns of VersionRow, for the history page: `select *` also returned the bookkeeping
 * columns, and decoding them was half of a 51-row page on PGlite (3.3 ms → 1.9 ms; pg 0.9 → 0.7).
 */
const VERSION_ROW_COLUMNS: ReadonlyArray<keyof VersionRow> = [
  'id', 'site_id', 'document_id', 'number', 'branch', 'kind', 'source', 'commit_hash', 'blob_hash', 'author_name',
  'author_email', 'message', 'metadata', 'idempotency_key', 'is_current_draft', 'is_current_published', 'created_at',
  'published_at',
];

const scope = (siteId: string, documentId: string) => ({ site_id: siteId, document_id: documentId });

export async function insertVersion(db: Db, row: NewVersionRow): Promise<void> {
  await db('content_versions').insert(row);
}

/**
 * insertVersion and insertEvent in one statement (a data-modifying WITH), and the version's
 * search row when given: one round trip on the save path. The rows are independent but for the
 * search row's foreign key to the version, which PostgreSQL checks at the end of the statement.
 */
export async function insertVersionWithEvent(db: Db, row: NewVersionRow, event: NewEvent, search?: SearchRow): Promise<void> {
  const q = withEvent(db, db('content_versions'), event);
  await (search ? q.with('search', searchRowInsert(db, search)) : q).insert(row);
}

export async function insertVersionIfAbsent(db: Db, row: NewVersionRow): Promise<boolean> {
  const inserted = await db('content_versions').insert(row).onConflict(['site_id', 'commit_hash', 'document_id']).ignore().returning('id');
  return inserted.length > 0;
}

export async function findVersionByNumber(db: Db, siteId: string, documentId: string, number: number): Promise<VersionRow | undefined> {
  return (await db('content_versions').where({ ...scope(siteId, documentId), number }).first()) as VersionRow | undefined;
}

/**
 * A version by number or current flag together with its document's format, the document found
 * by its address in the same statement: `show`'s common case in one round trip. undefined when
 * either is missing (the caller then asks which, for the error).
 */
export async function findVersionAt(
  db: Db,
  siteId: string,
  doc: { type: string; key: string; locale: string },
  at: { number: number } | { flag: 'is_current_draft' | 'is_current_published' },
): Promise<(VersionRow & { document_format: 'json' | 'markdown' | 'text' }) | undefined> {
  const q = db('content_versions as v')
    .join('documents as d', function () {
      this.on('d.id', 'v.document_id').andOn('d.site_id', 'v.site_id');
    })
    .where({ 'd.site_id': siteId, 'd.type': doc.type, 'd.key': doc.key, 'd.locale': doc.locale })
    .select(VERSION_ROW_COLUMNS.map((c) => `v.${c}`))
    .select('d.format as document_format')
    .first();
  if ('number' in at) q.where('v.number', at.number);
  else q.where(`v.${at.flag}`, true);
  return (await q) as (VersionRow & { document_format: 'json' | 'markdown' | 'text' }) | undefined;
}

export async function findVersionByIdempotencyKey(db: Db, siteId: string, documentId: string, key: string): Promise<VersionRow | undefined> {
  return (await db('content_versions').where({ ...scope(siteId, documentId), idempotency_key: key }).first()) as VersionRow | undefined;
}

export async function findLatestOnBranch(db: Db, siteId: string, documentId: string, branch: string): Promise<VersionRow | undefined> {
  return (await db('content_versions').where({ ...scope(siteId, documentId), branch }).orderBy('number', 'desc').first()) as VersionRow | undefined;
}

export async function findCurrent(db: Db, siteId: string, documentId: string, flag: 'is_current_draft' | 'is_current_published'): Promise<VersionRow | undefined> {
  return (await db('content_versions').where({ ...scope(siteId, documentId), [flag]: true }).first()) as VersionRow | undefined;
}

/** Versions whose commit hash starts with `prefix` (at most 2: enough to detect ambiguity). */
export async function findByCommitPrefix(db: Db, siteId: string, documentId: string, prefix: string): Promise<VersionRow[]> {
  return (await db('content_versions')
    .where(scope(siteId, documentId))
    .where('commit_hash', 'like', `${prefix}%`)
    .orderBy('number', 'desc')
    .limit(2)) as VersionRow[];
}

/** Moves a current flag to `versionId` (or clears it when null): at most one per document. */
export async function moveFlag(db: Db, siteId: string, documentId: string, flag: 'is_current_draft' | 'is_current_published', versionId: string | null, stamp: { hlc_modified: bigint }): Promise<void> {
  await db('content_versions')
    .where({ ...scope(siteId, documentId), [flag]: true })
    .modify((q) => (versionId ? q.whereNot('id', versionId) : q))
    .update({ [flag]: false, ...stamp });
  if (versionId) {
    await db('content_versions').where({ site_id: siteId, id: versionId }).update({ [flag]: true, ...stamp });
  }
}

/**
 * Sets when a version was last published: the time of its publish commit on `published` (Git
 * keeps seconds), never the database's clock, so reindex derives the same value.
 */
export async function setPublishedAt(db: Db, siteId: string, versionId: string, at: Date | null, stamp: { hlc_modified: bigint }): Promise<void> {
  await db('content_versions').where({ site_id: siteId, id: versionId }).update({ published_at: at, ...stamp });
}

/** Every version of a site that has a publication time, for the rebuild to compare with Git. */
export interface PublishedTimeRow {
  id: string;
  document_id: string;
  /** 'type/key/locale', for fsck's report. */
  doc: string;
  number: number;
  published_at: Date | string;
}

export async function listPublishedTimes(db: Db, siteId: string): Promise<PublishedTimeRow[]> {
  return (await db('content_versions as v')
    .join('documents as d', function () {
      this.on('d.site_id', '=', 'v.site_id').andOn('d.id', '=', 'v.document_id');
    })
    .select('v.id', 'v.document_id', db.raw(`d.type || '/' || d.key || '/' || d.locale as doc`), 'v.number', 'v.published_at')
    .where('v.site_id', siteId)
    .whereNotNull('v.published_at')) as PublishedTimeRow[];
}

export interface VersionPageArgs {
  siteId: string;
  /** The document by its address: looked up inside the page query, one round trip instead of two. */
  doc: { type: string; key: string; locale: string };
  branch?: string;
  kind?: string;
  limit: number;
  /** Continue below this version number (newest first). */
  before?: number;
}

export async function listVersionRows(db: Db, a: VersionPageArgs): Promise<VersionRow[]> {
  // A scalar subquery on the documents' unique key: the planner resolves it once, then walks
  // (site_id, document_id, number) backwards as it would for a known id.
  const documentId = db('documents').select('id').where({ site_id: a.siteId, type: a.doc.type, key: a.doc.key, locale: a.doc.locale });
  const q = db('content_versions').select(VERSION_ROW_COLUMNS).where({ site_id: a.siteId }).where('document_id', '=', documentId).orderBy('number', 'desc').limit(a.limit);
  if (a.branch) q.where('branch', a.branch);
  if (a.kind) q.where('kind', a.kind);
  if (a.before !== undefined) q.where('number', '<', a.before);
  return (await q) as VersionRow[];
}

/** Which of these commits the index already holds for a site. */
export async function indexedCommits(db: Db, siteId: string, commits: string[]): Promise<Set<string>> {
  if (!commits.length) return new Set();
  const rows = (await db('content_versions').where({ site_id: siteId }).whereIn('commit_hash', commits).distinct('commit_hash')) as Array<{ commit_hash: string }>;
  return new Set(rows.map((r) => r.commit_hash));
}

export async function listAllVersionRows(db: Db, siteId: string): Promise<Array<VersionRow & { type: string; key: string; locale: string }>> {
  return (await db('content_versions as v')
    .join('documents as d', function () {
      this.on('d.id', 'v.document_id').andOn('d.site_id', 'v.site_id');
    })
    .where('v.site_id', siteId)
    .select('v.*', 'd.type', 'd.key', 'd.locale')
    .orderBy([{ column: 'd.type' }, { column: 'd.key' }, { column: 'd.locale' }, { column: 'v.number' }])) as Array<VersionRow & { type: string; key: string; locale: string }>;
}

export async function deleteSiteVersions(db: Db, siteId: string): Promise<void> {
  await db('content_versions').where({ site_id: siteId }).delete();
}

/** The version a commit gave a document, if indexed (versions are idempotent by commit). */
export async function findVersionByCommit(db: Db, siteId: string, documentId: string, commit: string): Promise<VersionRow | undefined> {
  return (await db('content_versions').where({ ...scope(siteId, documentId), commit_hash: commit }).first()) as VersionRow | undefined;
}

/** (id, commit) of every version row of a site: what reindex compares with Git. */
export async function listSiteVersionCommits(db: Db, siteId: string): Promise<Array<{ id: string; commit_hash: string }>> {
  return (await db('content_versions').where({ site_id: siteId }).select('id', 'commit_hash')) as Array<{ id: string; commit_hash: string }>;
}

export async function deleteVersionsById(db: Db, siteId: string, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) await db('content_versions').where({ site_id: siteId }).whereIn('id', ids.slice(i, i + 500)).delete();
}
