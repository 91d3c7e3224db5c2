import type { Db } from '../connection.js';
import type { DocumentRow } from '../rows.js';
import type { Stamp } from './sites.js';

export interface DocAddress {
  site_id: string;
  type: string;
  key: string;
  locale: string;
}

/**
 * Creates the document row if missing and locks it (SELECT … FOR UPDATE) for the rest of the
 * transaction: version numbers are per document across all branches, and the branch ref lock
 * does not serialize two branches, so this row lock is what does.
 */
export async function lockOrCreateDocument(db: Db, addr: DocAddress, create: { id: string; format: DocumentRow['format'] } & Stamp): Promise<DocumentRow> {
  // Most saves edit an existing document: lock it in one statement, insert only when missing.
  const existing = (await db('documents').where(addr).forUpdate().first()) as DocumentRow | undefined;
  if (existing) return existing;
  await db('documents')
    .insert({ ...addr, ...create })
    .onConflict(['site_id', 'type', 'key', 'locale'])
    .ignore();
  return (await db('documents').where(addr).forUpdate().first()) as DocumentRow;
}

export async function lockDocument(db: Db, addr: DocAddress): Promise<DocumentRow | undefined> {
  return (await db('documents').where(addr).forUpdate().first()) as DocumentRow | undefined;
}

export async function findDocument(db: Db, addr: DocAddress): Promise<DocumentRow | undefined> {
  return (await db('documents').where(addr).first()) as DocumentRow | undefined;
}

export async function updateDocument(db: Db, doc: Pick<DocumentRow, 'site_id' | 'id'>, patch: Partial<Pick<DocumentRow, 'latest_number' | 'archived_at'>> & Partial<Stamp>): Promise<void> {
  await db('documents').where({ site_id: doc.site_id, id: doc.id }).update(patch);
}

export interface DocListFilter {
  siteId: string;
  type?: string;
  locale?: string;
  state?: 'draft' | 'published';
  q?: string;
  limit: number;
  /** Keyset: the (type, key, locale) after which to continue, keys in natural order. */
  after?: [string, string, string];
}

export interface DocListRow extends DocumentRow {
  draft_number: number | null;
  published_number: number | null;
}

/**
 * A key's natural sort key: every run of digits padded to 63 (a slug's maximum length), so
 * `post-2` sorts before `post-10`. Computed the same way for a row and for a cursor's key.
 */
const naturalKey = (operand: string) =>
  `(select string_agg(m.x[1] || case when m.x[2] = '' then '' else lpad(m.x[2], 63, '0') end, '' order by m.n) from regexp_matches(${operand}, '(\\D*)(\\d*)', 'g') with ordinality as m(x, n))`;

export async function listDocuments(db: Db, f: DocListFilter): Promise<DocListRow[]> {
  const q = db('documents as d')
    .select(
      'd.*',
      db.raw('(select number from content_versions v where v.site_id = d.site_id and v.document_id = d.id and v.is_current_draft) as draft_number'),
      db.raw('(select number from content_versions v where v.site_id = d.site_id and v.document_id = d.id and v.is_current_published) as published_number'),
    )
    .where('d.site_id', f.siteId)
    .orderBy('d.type')
    .orderByRaw(naturalKey('d.key'))
    .orderBy('d.locale')
    .limit(f.limit);
  if (f.type) q.where('d.type', f.type);
  if (f.locale) q.where('d.locale', f.locale);
  if (f.state === 'published') {
    q.whereExists(db('content_versions as v').whereRaw('v.site_id = d.site_id and v.document_id = d.id and v.is_current_published'));
  } else if (f.state === 'draft') {
    q.whereNull('d.archived_at');
  }
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q.where((w) => w.whereILike('d.key', like).orWhereILike('d.type', like));
  }
  if (f.after) q.whereRaw(`(d.type, ${naturalKey('d.key')}, d.locale) > (?, ${naturalKey('?::text')}, ?)`, f.after);
  return (await q) as DocListRow[];
}

export async function findDocumentById(db: Db, siteId: string, id: string): Promise<DocumentRow | undefined> {
  return (await db('documents').where({ site_id: siteId, id }).first()) as DocumentRow | undefined;
}

/**
 * Locks a document only if no other transaction holds it: a writer holds a document's lock from
 * before its Git write until its index row commits, so a free lock on a document whose commit is
 * unindexed means that writer is gone (the commit is an orphan).
 */
export async function lockDocumentIfFree(db: Db, addr: DocAddress): Promise<DocumentRow | undefined> {
  return (await db('documents').where(addr).forUpdate().skipLocked().first()) as DocumentRow | undefined;
}

/**
 * A fresh version's bookkeeping in one statement (the save path's beginVersion): the counter
 * set to `patch.latest_number` (only if it is still `from`, when given) and, with `clearDraft`,
 * the current-draft flag taken off the version that had it, only when the counter moved.
 * False when the counter was not `from`; nothing is written then.
 */
export async function advanceDocument(
  db: Db,
  doc: Pick<DocumentRow, 'site_id' | 'id'>,
  patch: Pick<DocumentRow, 'latest_number' | 'archived_at'> & Pick<Stamp, 'hlc_modified'>,
  o: { from?: number; clearDraft: boolean },
): Promise<boolean> {
  const bindings: unknown[] = [patch.latest_number, patch.archived_at, String(patch.hlc_modified), doc.site_id, doc.id];
  if (o.from !== undefined) bindings.push(o.from);
  if (o.clearDraft) bindings.push(String(patch.hlc_modified), doc.site_id, doc.id);
  const { rows } = (await db.raw(
    `WITH d AS (UPDATE documents SET latest_number = ?, archived_at = ?, hlc_modified = ?
                 WHERE site_id = ? AND id = ?${o.from !== undefined ? ' AND latest_number = ?' : ''} RETURNING 1)
     ${o.clearDraft ? `, f AS (UPDATE content_versions SET is_current_draft = false, hlc_modified = ?
                              WHERE site_id = ? AND document_id = ? AND is_current_draft AND EXISTS (SELECT 1 FROM d))` : ''}
     SELECT count(*)::int AS advanced FROM d`,
    bindings as Array<string | number | null | Date>,
  )) as { rows: Array<{ advanced: number }> };
  return rows[0]!.advanced === 1;
}
