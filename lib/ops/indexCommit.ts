/**
 * Indexes one Git commit from what Git alone says: its Verso trailers when verso wrote it, or,
 * for a commit made with plain git, its changed document paths (each a new version with source
 * 'git'; a deleted document is archived) numbered as its version note says (versionNotes.ts),
 * or, the first time, with the next numbers, which the note then records. Idempotent by
 * (site, commit, document).
 */
import type { Db } from '../db/connection.js';
import { findDocument, lockOrCreateDocument } from '../db/queries/documents.js';
import { insertEvent } from '../db/queries/events.js';
import { actorColumns } from './actor.js';
import { indexSearchText } from './indexSearch.js';
import { raiseLatestNumber, setArchived } from '../db/queries/recompute.js';
import { findByCommitPrefix, findVersionByNumber, insertVersionIfAbsent } from '../db/queries/versions.js';
import type { DocumentRow } from '../db/rows.js';
import { extensionOf, parseDocPath } from '../ids.js';
import type { CommitInfo, SiteRepo } from '../objects/index.js';
import { parseMessage, type DocTrailer } from '../trailers.js';
import type { Format, Oid } from '../types.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { noteText, readVersionNote, writeVersionNote } from './versionNotes.js';

const FORMATS: Format[] = ['json', 'markdown', 'text'];
// The index's CHECKs on authors (content_versions.author_name, author_email).
const EMAIL = /^[^@\s<>]+@[^@\s<>]+$/;

export interface IndexedCommit {
  /** Documents that got a new version row. */
  documents: string[];
  versions: number;
}

interface NewVersion {
  document: DocumentRow;
  number: number;
  branch: string;
  kind: string;
  source: string;
  blob: Oid;
  metadata?: Record<string, unknown>;
  idempotencyKey?: string;
}

async function findPath(repo: SiteRepo, commit: Oid, doc: string): Promise<{ format: Format; blob: Oid } | undefined> {
  for (const format of FORMATS) {
    const blob = await repo.readPath(commit, `${doc}.${extensionOf(format)}`);
    if (blob) return { format, blob };
  }
  return undefined;
}

async function documentFor(ctx: OpContext, trx: Db, site: SiteRef, doc: string, format: Format): Promise<DocumentRow | undefined> {
  const [type, key, locale] = doc.split('/') as [string, string, string];
  if (!site.locales.includes(locale)) return undefined;
  return lockOrCreateDocument(trx, { site_id: site.id, type, key, locale }, { id: ctx.newId(), format, ...stamp(ctx) });
}

async function archiveDoc(trx: Db, site: SiteRef, doc: string): Promise<void> {
  const [type, key, locale] = doc.split('/') as [string, string, string];
  const d = await findDocument(trx, { site_id: site.id, type, key, locale });
  if (d) await setArchived(trx, d.id, true);
}

export async function indexCommit(ctx: OpContext, trx: Db, site: SiteRef, branch: string, c: CommitInfo): Promise<IndexedCommit> {
  const { docs } = parseMessage(c.message);
  return docs.length ? indexVersoCommit(ctx, trx, site, branch, c, docs) : indexPlainCommit(ctx, trx, site, branch, c);
}

/** A commit verso wrote: its trailers name every document and number. */
async function indexVersoCommit(ctx: OpContext, trx: Db, site: SiteRef, branch: string, c: CommitInfo, docs: DocTrailer[]): Promise<IndexedCommit> {
  const repo = ctx.repo(site.slug);
  const out: IndexedCommit = { documents: [], versions: 0 };
  for (const t of docs) {
    if (t.action === 'archive') {
      if (branch === 'main') await archiveDoc(trx, site, t.doc);
      continue;
    }
    if (t.version === undefined || t.action) continue;
    const found = await findPath(repo, c.oid, t.doc);
    if (!found) continue;
    const document = await documentFor(ctx, trx, site, t.doc, found.format);
    if (!document) continue;
    const v: NewVersion = { document, number: t.version, branch: t.branch ?? branch, kind: t.kind ?? 'draft', source: t.source ?? 'git', blob: found.blob, metadata: t.metadata, idempotencyKey: t.idempotencyKey };
    if (await insertIndexedVersion(ctx, trx, site, c, v)) {
      out.documents.push(document.id);
      out.versions++;
    }
  }
  return out;
}

/**
 * A commit made with plain git: each changed document path is a version (source 'git'),
 * each deleted one an archive. Numbers come from the commit's version note when it has one
 * (and the number is still free); otherwise they are the next ones, and the note records
 * them before the index transaction commits, so reindex gives the same numbers.
 */
async function indexPlainCommit(ctx: OpContext, trx: Db, site: SiteRef, branch: string, c: CommitInfo): Promise<IndexedCommit> {
  const repo = ctx.repo(site.slug);
  const out: IndexedCommit = { documents: [], versions: 0 };
  const note = await readVersionNote(repo, c.oid);
  const noted = new Map((note ?? []).map((t) => [t.doc, t]));
  const written: DocTrailer[] = [];
  for (const e of await changedDocuments(repo, c)) {
    const onBranch = noted.get(e.doc)?.branch ?? branch;
    if (!e.blob) {
      if (onBranch === 'main') await archiveDoc(trx, site, e.doc);
      written.push({ doc: e.doc, branch: onBranch, action: 'archive' });
      continue;
    }
    const document = await documentFor(ctx, trx, site, e.doc, e.format);
    if (!document) continue;
    if (document.format !== e.format) {
      ctx.log.warn({ site: site.slug, commit: c.oid, doc: e.doc }, `plain-git commit gives a ${document.format} document a ${e.format} file; not indexed as a version`);
      continue;
    }
    const prior = (await findByCommitPrefix(trx, site.id, document.id, c.oid)).find((r) => r.commit_hash === c.oid);
    let number = prior?.number;
    if (number === undefined) {
      const want = noted.get(e.doc)?.version;
      number = want !== undefined && !(await findVersionByNumber(trx, site.id, document.id, want)) ? want : document.latest_number + 1;
      const v: NewVersion = { document, number, branch: onBranch, kind: 'draft', source: 'git', blob: e.blob };
      if (await insertIndexedVersion(ctx, trx, site, c, v)) {
        out.documents.push(document.id);
        out.versions++;
      }
    }
    written.push({ doc: e.doc, branch: onBranch, version: number });
  }
  if (!note || noteText(note) !== noteText(written)) await writeVersionNote(repo, c.oid, written, ctx.clock.now());
  return out;
}

/** Document paths a commit changes against its first parent, one entry per document. */
async function changedDocuments(repo: SiteRepo, c: CommitInfo): Promise<Array<{ doc: string; format: Format; blob?: Oid }>> {
  const byDoc = new Map<string, { doc: string; format: Format; blob?: Oid }>();
  for (const p of await repo.changedPaths(c.parents[0], c.oid)) {
    const addr = parseDocPath(p.path);
    if (!addr) continue;
    const doc = `${addr.type}/${addr.key}/${addr.locale}`;
    // A document written in one format and deleted in another: the write is what counts.
    if (byDoc.get(doc)?.blob && !p.after) continue;
    byDoc.set(doc, { doc, format: addr.format, blob: p.after });
  }
  return [...byDoc.values()].sort((a, b) => (a.doc < b.doc ? -1 : a.doc > b.doc ? 1 : 0));
}

async function insertIndexedVersion(ctx: OpContext, trx: Db, site: SiteRef, c: CommitInfo, v: NewVersion): Promise<boolean> {
  const { summary } = parseMessage(c.message);
  const name = (c.author.name || 'unknown').slice(0, 200);
  const email = EMAIL.test(c.author.email) ? c.author.email : null;
  const s = stamp(ctx);
  const inserted = await insertVersionIfAbsent(trx, {
    id: ctx.newId(),
    site_id: site.id,
    document_id: v.document.id,
    number: v.number,
    branch: v.branch,
    kind: v.kind,
    source: v.source,
    commit_hash: c.oid,
    blob_hash: v.blob,
    author_name: name,
    author_email: email,
    message: summary,
    metadata: JSON.stringify(v.metadata ?? {}),
    idempotency_key: v.idempotencyKey ?? null,
    is_current_draft: false,
    is_current_published: false,
    created_at: new Date(c.committer.timestamp * 1000),
    ...s,
  });
  if (!inserted) return false;
  await raiseLatestNumber(trx, v.document.id, v.number);
  await indexSearchText(ctx, trx, { site, documentId: v.document.id, number: v.number, locale: v.document.locale, format: v.document.format, blob: v.blob });
  if (v.branch === 'main' && v.document.archived_at) await setArchived(trx, v.document.id, false);
  await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: v.document.id, action: 'version.create', version_number: v.number, commit_hash: c.oid, data: { branch: v.branch, indexedFromGit: true }, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx, { name }) });
  return true;
}

/** True when the commit would produce version rows (so "indexed" is a meaningful question). */
export function carriesVersions(c: CommitInfo): boolean {
  const { docs } = parseMessage(c.message);
  return docs.length === 0 || docs.some((t) => t.version !== undefined && !t.action);
}

/** True when the commit is plain git (no verso trailers). */
export function isPlainCommit(c: CommitInfo): boolean {
  return parseMessage(c.message).docs.length === 0;
}
