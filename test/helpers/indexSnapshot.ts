/**
 * The derived and owned tables of the index, read with SQL after the store is closed (PGlite
 * is one process): what crash and rebuild tests compare. Row ids are included on purpose:
 * reindex updates rows in place, so a version keeps its id.
 */
import { openDatabase } from '../../lib/db/connection.js';
import type { TestDatabase } from './databases.js';

export interface IndexSnapshot {
  documents: unknown[];
  versions: unknown[];
  tags: unknown[];
  branches: unknown[];
  events: unknown[];
  comments: unknown[];
  previews: unknown[];
  quarantine: unknown[];
}

const DOC = `d.type || '/' || d.key || '/' || d.locale`;

export async function snapshotIndex(db: Pick<TestDatabase, 'dataDir' | 'databaseUrl'>): Promise<IndexSnapshot> {
  const d = await openDatabase({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
  const rows = async (sql: string) => ((await d.knex.raw(sql)) as { rows: unknown[] }).rows;
  try {
    return {
      documents: await rows(`SELECT id, type, key, locale, format, latest_number, archived_at IS NOT NULL AS archived, updated_at FROM documents d ORDER BY type, key, locale`),
      versions: await rows(`SELECT v.id, ${DOC} AS doc, number, branch, kind, source, commit_hash, blob_hash, author_name, author_email, message, metadata::text AS metadata,
                                   idempotency_key, is_current_draft, is_current_published, v.created_at, v.published_at
                              FROM content_versions v JOIN documents d ON d.id = v.document_id ORDER BY doc, number`),
      tags: await rows(`SELECT ${DOC} AS doc, name, version_number, commit_hash, tag_oid, message FROM tags t JOIN documents d ON d.id = t.document_id ORDER BY doc, name`),
      branches: await rows(`SELECT name FROM branches ORDER BY name`),
      events: await rows(`SELECT e.id, e.action, e.document_id, e.version_number, e.commit_hash, e.data->>'name' AS name, e.data->>'branch' AS branch FROM change_events e ORDER BY e.id`),
      comments: await rows(`SELECT id, document_id, version_number, body FROM version_comments ORDER BY id`),
      previews: await rows(`SELECT id, document_id, version_number FROM preview_tokens ORDER BY id`),
      // Absent before the integrity migration (so this helper also runs against older builds).
      quarantine: await rows(`SELECT commit_hash, branch FROM index_quarantine ORDER BY commit_hash`).catch(() => []),
    };
  } finally {
    await d.close();
  }
}

/** Events that name the same fact more than once (action, document, version, commit, name). */
export function duplicateEvents(s: IndexSnapshot): unknown[] {
  const seen = new Map<string, number>();
  for (const e of s.events as Array<Record<string, unknown>>) {
    const k = JSON.stringify([e.action, e.document_id, e.version_number, e.commit_hash, e.name, e.action === 'branch.create' || e.action === 'branch.delete' ? e.branch : null]);
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}
