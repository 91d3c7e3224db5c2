/**
 * Indexes one Git commit from what Git alone says: its Verso trailers when verso wrote it, or,
 * for a commit made with plain git, its changed document paths (each a new version with source
 * 'git'; a deleted document is archived) numbered as its version note says (versionNotes.ts),
 * or, the first time, with the next numbers, which the note then records. Idempotent by
 * (site, commit, document).
 */
import type { Db } from '../db/connection.js';
import { findDocument, lockOrCreateDocument } from '../db/queries/documents.js';
import { quarantineCommit, releaseQuarantine } from '../db/queries/quarantine.js';
import { setArchived } from '../db/queries/recompute.js';
import { findByCommitPrefix, findVersionByNumber } from '../db/queries/versions.js';
import { pgCode } from '../db/pgErrors.js';
import { ValidationError, VersoError } from '../errors/index.js';
import type { DocumentRow } from '../db/rows.js';
import { extensionOf, parseDocPath } from '../ids.js';
import type { CommitInfo, SiteRepo } from '../objects/index.js';
import { parseMessage, type DocTrailer } from '../trailers.js';
import type { Format, Oid } from '../types.js';
import { crashPoint, stamp, type OpContext, type SiteRef } from './context.js';
import { recordVersion, type Recorded } from './recordVersion.js';
import { storableNumber } from './takeNumber.js';
import { noteText, readVersionNote, writeVersionNote } from './versionNotes.js';

const FORMATS: Format[] = ['json', 'markdown', 'text'];
// The index's CHECKs on authors (content_versions.author_name, author_email).
const EMAIL = /^[^@\s<>]+@[^@\s<>]+$/;

export interface IndexedCommit {
  /** Documents that got a new version row. */
  documents: string[];
  versions: number;
  /** Documents of every version this commit has in the index now, new or not. */
  recorded: string[];
  /** Versions whose claimed number another commit held (see recordVersion). */
  renumbered: Array<{ doc: string; from: number; to: number }>;
}

export interface Replay {
  archived: Map<string, boolean>;
}

export interface IndexOptions {
  /**
   * Reindex: flags are derived once at the end (recordVersion `replay`), and archive states are
   * collected here (document id → archived after this commit) and written once, only where they
   * changed, so a rebuild does not touch every document's updated_at.
   */
  replay?: Replay;
  /** Commits in quarantine now, released when they index. */
  quarantined?: Set<string>;
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

async function archiveDoc(trx: Db, site: SiteRef, doc: string, replay: Replay | undefined): Promise<void> {
  const [type, key, locale] = doc.split('/') as [string, string, string];
  const d = await findDocument(trx, { site_id: site.id, type, key, locale });
  if (!d) return;
  if (replay) replay.archived.set(d.id, true);
  else await setArchived(trx, d, true);
}

export async function indexCommit(ctx: OpContext, trx: Db, site: SiteRef, branch: string, c: CommitInfo, opts: IndexOptions = {}): Promise<IndexedCommit> {
  const { docs } = parseMessage(c.message);
  return docs.length ? indexVersoCommit(ctx, trx, site, branch, c, docs, opts.replay) : indexPlainCommit(ctx, trx, site, branch, c, opts.replay);
}

function track(out: IndexedCommit, doc: string, r: Recorded): void {
  out.recorded.push(r.row.document_id);
  if (!r.inserted) return;
  out.documents.push(r.row.document_id);
  out.versions++;
  if (r.renumberedFrom !== undefined) out.renumbered.push({ doc, from: r.renumberedFrom, to: r.row.number });
}

/** A commit verso wrote: its trailers name every document and number. */
async function indexVersoCommit(ctx: OpContext, trx: Db, site: SiteRef, branch: string, c: CommitInfo, docs: DocTrailer[], replay: Replay | undefined): Promise<IndexedCommit> {
  const repo = ctx.repo(site.slug);
  const out: IndexedCommit = { documents: [], versions: 0, recorded: [], renumbered: [] };
  // A renumbered commit's note (recordVersion) overrides the number its trailer claims.
  const note = docs.some((t) => t.version !== undefined && !t.action) ? await readVersionNote(repo, c.oid) : undefined;
  for (const t of docs) {
    if (t.action === 'archive') {
      if (branch === 'main') await archiveDoc(trx, site, t.doc, replay);
      continue;
    }
    if (t.version === undefined || t.action) continue;
    const number = note?.find((n) => n.doc === t.doc)?.version ?? t.version;
    if (!storableNumber(number)) throw new ValidationError(`commit ${c.oid} claims version ${t.version} of ${t.doc}, which is not a version number`, { commit: c.oid });
    const found = await findPath(repo, c.oid, t.doc);
    if (!found) continue;
    const document = await documentFor(ctx, trx, site, t.doc, found.format);
    if (!document) continue;
    const v: NewVersion = { document, number, branch: t.branch ?? branch, kind: t.kind ?? 'draft', source: t.source ?? 'git', blob: found.blob, metadata: t.metadata, idempotencyKey: t.idempotencyKey };
    track(out, t.doc, await insertIndexedVersion(ctx, trx, site, c, v, replay));
  }
  return out;
}

/**
 * A commit made with plain git: each changed document path is a version (source 'git'),
 * each deleted one an archive. Numbers come from the commit's version note when it has one
 * (and the number is still free); otherwise they are the next ones, and the note records
 * them before the index transaction commits, so reindex gives the same numbers.
 */
async function indexPlainCommit(ctx: OpContext, trx: Db, site: SiteRef, branch: string, c: CommitInfo, replay: Replay | undefined): Promise<IndexedCommit> {
  const repo = ctx.repo(site.slug);
  const out: IndexedCommit = { documents: [], versions: 0, recorded: [], renumbered: [] };
  const note = await readVersionNote(repo, c.oid);
  const noted = new Map((note ?? []).map((t) => [t.doc, t]));
  const written: DocTrailer[] = [];
  for (const e of await changedDocuments(repo, c)) {
    const onBranch = noted.get(e.doc)?.branch ?? branch;
    if (!e.blob) {
      if (onBranch === 'main') await archiveDoc(trx, site, e.doc, replay);
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
      const r = await insertIndexedVersion(ctx, trx, site, c, v, replay);
      track(out, e.doc, r);
      number = r.row.number;
    }
    written.push({ doc: e.doc, branch: onBranch, version: number });
  }
  if (!note || noteText(note) !== noteText(written)) {
    await writeVersionNote(repo, c.oid, written, ctx.clock.now());
    crashPoint(ctx, 'after-note');
  }
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

async function insertIndexedVersion(ctx: OpContext, trx: Db, site: SiteRef, c: CommitInfo, v: NewVersion, replay: Replay | undefined): Promise<Recorded> {
  const { summary } = parseMessage(c.message);
  if (replay && v.branch === 'main') replay.archived.set(v.document.id, false);
  return recordVersion(ctx, trx, site, {
    document: v.document,
    number: v.number,
    branch: v.branch,
    kind: v.kind,
    source: v.source,
    commit: c.oid,
    blob: v.blob,
    author: { name: (c.author.name || 'unknown').slice(0, 200), email: EMAIL.test(c.author.email) ? c.author.email : null },
    message: summary,
    metadata: v.metadata ?? {},
    idempotencyKey: v.idempotencyKey ?? null,
    createdAt: new Date(c.committer.timestamp * 1000),
    event: { branch: v.branch, indexedFromGit: true },
  }, { replay: !!replay });
}

/**
 * indexCommit inside a savepoint: a commit the index cannot hold (a number out of range, text
 * PostgreSQL cannot store, a trailer that contradicts itself) is quarantined and reported by
 * fsck instead of failing the caller, so no commit can stop start-up, reindex or a save.
 */
export async function indexCommitSafely(ctx: OpContext, trx: Db, site: SiteRef, branch: string, c: CommitInfo, opts: IndexOptions = {}): Promise<IndexedCommit & { quarantined?: string }> {
  try {
    const done = await trx.transaction((sp) => indexCommit(ctx, sp, site, branch, c, opts));
    if (opts.quarantined?.has(c.oid)) await releaseQuarantine(trx, site.id, c.oid);
    return done;
  } catch (err) {
    if (!cannotIndex(err)) throw err;
    const reason = quarantineReason(err);
    ctx.log.warn({ site: site.slug, commit: c.oid, branch, reason }, 'commit cannot be indexed; quarantined (see verso fsck)');
    await quarantineCommit(trx, { id: ctx.newId(), site_id: site.id, commit_hash: c.oid, branch: branch.slice(0, 255), reason, ...stamp(ctx) });
    return { documents: [], versions: 0, recorded: [], renumbered: [], quarantined: reason };
  }
}

/** Why, in words fit for fsck: a database error without the SQL knex puts in front of it. */
function quarantineReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = pgCode(err);
  const text = code ? `the index refused it (${code}): ${message.split(' - ').pop()}` : message;
  return text.replace(/\0/g, '\\0').slice(0, 2000) || 'unknown error';
}

/**
 * Errors that come from the commit itself (its data), not from the moment: PostgreSQL's data
 * exceptions (class 22: an untranslatable NUL, a number out of range), integrity violations
 * (class 23) and verso's own refusals. A lost connection or a deadlock is retried, never
 * quarantined.
 */
function cannotIndex(err: unknown): boolean {
  if (err instanceof VersoError) return err.code === 'invalid_input' || err.code === 'not_found';
  const code = pgCode(err);
  return !!code && (code.startsWith('22') || code.startsWith('23') || code === 'P0001');
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
