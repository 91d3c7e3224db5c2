/**
 * save: the one write path every writer takes (DESIGN.md "Writing a version").
 * 1 validate and canonicalise; then, holding the document's row lock, decide the format (the
 * document's, if another writer created it first) and take the number (takeNumber.ts: orphans
 * first), 2 write the blob, trees and commit (one durable batch) and 3 move the branch ref by
 * compare-and-swap, 4 record the version (recordVersion.ts: row, current-draft flag, change
 * event) in the same transaction (on PGlite, a second one: saveInTwo.ts); 5 acknowledge.
 */
import { encodeContent, inferFormat } from '../content.js';
import type { Db } from '../db/connection.js';
import { findDocument, lockOrCreateDocument } from '../db/queries/documents.js';
import { findLatestOnBranch, findVersionByIdempotencyKey } from '../db/queries/versions.js';
import type { DocumentRow, VersionRow } from '../db/rows.js';
import { ConflictError, TooLargeError, ValidationError } from '../errors/index.js';
import { docPath, parseBranch } from '../ids.js';
import { formatMessage } from '../trailers.js';
import type { Author, Format, Oid, SaveInput, Version, VersionRef } from '../types.js';
import { commitToBranch, identity, type CommitToBranchArgs } from './commitToBranch.js';
import { crashPoint, stamp, type OpContext, type SiteRef } from './context.js';
import { parseAuthor, parseEnum, parseIdempotencyKey, parseMessage, parseMetadata } from './inputs.js';
import { resolveRef } from './resolveRef.js';
import { indexCommitSafely } from './indexCommit.js';
import { beginVersion, recordVersion } from './recordVersion.js';
import { holdInFlight, markIndexed, takeNumber } from './takeNumber.js';
import type { CommitInfo } from '../objects/index.js';
import { toVersion, type DocAddr } from './toVersion.js';
import { saveInTwo } from './saveInTwo.js';
import { writeInLane } from './saveBatch.js';

export interface SaveArgs {
  ctx: OpContext;
  site: SiteRef;
  doc: DocAddr;
  input: SaveInput;
  /** Set by an operation, never from a caller's input: a version pulled from an integration. */
  source?: 'integration';
}

/** Fields of a version to write, already validated; shared by save and rollback. */
export interface VersionDraft {
  bytes?: Uint8Array;
  /** Reuse an existing blob (rollback) instead of writing bytes. */
  blob?: Oid;
  format: Format;
  message: string;
  author: Author;
  kind: 'draft' | 'autosave' | 'rollback';
  source: 'user' | 'ai_generation' | 'ai_edit' | 'integration';
  branch: string;
  baseVersion?: VersionRef;
  metadata: Record<string, unknown>;
  idempotencyKey?: string;
  rollbackOf?: number;
  /** Re-encodes the content for the format the locked document has (save; see item 7 there). */
  encode?: (documentFormat: Format) => { format: Format; bytes: Uint8Array };
}

const FORMATS = ['json', 'markdown', 'text'] as const;

export async function save({ ctx, site, doc, input, source }: SaveArgs): Promise<Version> {
  if (!input || typeof input !== 'object') throw new ValidationError('save needs an input object', { field: 'input' });
  const given = input.format === undefined ? undefined : parseEnum(input.format, FORMATS, 'format', 'json');
  // Only a string without a declared format reads as something else in an existing document
  // (a text document keeps text that looks like JSON as text): look first then. Otherwise the
  // format is checked under the lock (inDocumentFormat), with the same refusals, and a save
  // takes one round trip fewer.
  const existing = given === undefined && typeof input.content === 'string' ? await findDocument(ctx.knex, { site_id: site.id, ...doc }) : undefined;
  // The format is checked again under the document's lock (writeVersion): two first saves in
  // different formats must not leave en.json and en.md side by side.
  const encode = (documentFormat: Format | undefined): { format: Format; bytes: Uint8Array } => {
    const format = inferFormat(input.content, given, documentFormat);
    if (documentFormat && documentFormat !== format) {
      throw new ValidationError(`this document is ${documentFormat}; a save cannot change it to ${format}`, { field: 'format' });
    }
    const bytes = encodeContent(input.content, format);
    if (bytes.byteLength > ctx.maxBytes) {
      throw new TooLargeError(`content is ${bytes.byteLength} bytes; the limit is ${ctx.maxBytes}`, { limit: ctx.maxBytes, size: bytes.byteLength });
    }
    return { format, bytes };
  };
  return writeVersion(ctx, site, doc, {
    ...encode(existing?.format),
    encode,
    message: parseMessage(input.message, 'Update'),
    author: parseAuthor(input.author),
    kind: parseEnum(input.kind, ['draft', 'autosave'] as const, 'kind', 'draft'),
    source: source ?? parseEnum(input.source, ['user', 'ai_generation', 'ai_edit'] as const, 'source', 'user'),
    branch: parseBranch(input.branch ?? 'main'),
    baseVersion: input.baseVersion,
    metadata: parseMetadata(input.metadata),
    idempotencyKey: parseIdempotencyKey(input.idempotencyKey),
  });
}

/** Steps 2–5 of the write path for an already validated version. */
export async function writeVersion(ctx: OpContext, site: SiteRef, doc: DocAddr, draft: VersionDraft): Promise<Version> {
  if (!site.locales.includes(doc.locale)) {
    throw new ValidationError(`locale ${doc.locale} is not one of site ${site.slug}'s locales (${site.locales.join(', ')})`, { field: 'locale' });
  }
  // PostgreSQL: saves of a document that arrive while one of it is in flight here are written
  // together once it is done (saveBatch.ts, the hot page).
  return ctx.writeGate ? writeAlone(ctx, site, doc, draft) : writeInLane(ctx, site, doc, draft, () => writeAlone(ctx, site, doc, draft));
}

async function writeAlone(ctx: OpContext, site: SiteRef, doc: DocAddr, draft: VersionDraft): Promise<Version> {
  const repo = ctx.repo(site.slug);
  crashPoint(ctx, 'after-blob');
  const moved: { commit?: CommitInfo['oid'] } = {};
  try {
    // Embedded: an existing document is written in two short transactions (saveInTwo.ts), so
    // the one connection serves other writes during this Git write, even one stuck waiting for
    // a branch lock. A first save, and every save on PostgreSQL, hold the row lock in one.
    const row = (ctx.writeGate && (await saveInTwo(ctx, site, doc, draft, moved))) || (await ctx.knex.transaction(async (trx) => {
      const locked = await lockOrCreateDocument(trx, { site_id: site.id, ...doc }, { id: ctx.newId(), format: draft.format, ...stamp(ctx) });
      const p = await prepareVersion(ctx, trx, site, locked, draft);
      return 'prior' in p ? p.prior : commitAndIndex(ctx, trx, site, doc, p, moved);
    }));
    markIndexed(repo, row.commit_hash as Oid);
    crashPoint(ctx, 'after-index');
    return toVersion(site, doc, row);
  } catch (err) {
    if (moved.commit) await indexOrphan(ctx, site, draft.branch, moved.commit);
    throw err;
  }
}

/** What a save decided under its document's lock: the number, the format, the blob. */
export interface PreparedVersion {
  d: VersionDraft;
  document: DocumentRow;
  number: number;
  blob: Oid;
}

/** Under the document's lock: decide the format, take the number, honour the key and the base. */
export async function prepareVersion(ctx: OpContext, trx: Db, site: SiteRef, locked: DocumentRow, draft: VersionDraft): Promise<PreparedVersion | { prior: VersionRow }> {
  // Another writer created the document first, in another format: decide under the lock.
  const d = inDocumentFormat(locked, draft);
  // Orphans first: a retried save whose first attempt is an orphan finds it by its key.
  const { number, document } = await takeNumber(ctx, trx, site, locked);
  if (d.idempotencyKey) {
    const prior = await findVersionByIdempotencyKey(trx, site.id, document.id, d.idempotencyKey);
    if (prior) return { prior };
  }
  const base = d.baseVersion === undefined ? undefined : (await resolveRef(trx, site.id, document.id, d.baseVersion, 'baseVersion')).number;
  await checkBase(trx, site, document, d.branch, base);
  // Only hashed here: the blob is written with the trees and the commit, in one fsync round.
  const blob = d.blob ?? ctx.repo(site.slug).hashBlob(d.bytes!);
  return { d, document, number, blob };
}

/** The draft in the locked document's format (another writer may have created it first, in another). */
export function inDocumentFormat(locked: DocumentRow, draft: VersionDraft): VersionDraft {
  return locked.format === draft.format ? draft : { ...draft, ...(draft.encode ? draft.encode(locked.format) : mismatch(locked.format, draft.format)) };
}

function mismatch(documentFormat: Format, format: Format): never {
  throw new ValidationError(`this document is ${documentFormat}; a save cannot change it to ${format}`, { field: 'format' });
}

/**
 * The ref moved but the index transaction failed (a lost connection, say): the commit carries
 * its version number, so index it now from its trailers. Otherwise the next save would take
 * the same number. Start-up reconcile covers the case where this fails too.
 */
export async function indexOrphan(ctx: OpContext, site: SiteRef, branch: string, commit: CommitInfo['oid']): Promise<void> {
  try {
    const info = await ctx.repo(site.slug).readCommit(commit);
    await ctx.knex.transaction(async (trx) => {
      await indexCommitSafely(ctx, trx, site, branch, info);
    });
  } catch (err) {
    ctx.log.warn({ site: site.slug, commit, err: String(err) }, 'could not index a committed save; reconcile will');
  }
}

async function checkBase(trx: Db, site: SiteRef, document: DocumentRow, branch: string, base: number | undefined): Promise<void> {
  if (base === undefined) return;
  refuseStale(base, (await findLatestOnBranch(trx, site.id, document.id, branch))?.number, branch);
}

/** A save based on `base` when the branch is at `latest` already: the ConflictError save and the hot page's lane both give. */
export function refuseStale(base: number, latest: number | undefined, branch: string): void {
  if (latest !== undefined && latest > base) {
    throw new ConflictError(`the document moved to version ${latest} since version ${base}`, { baseVersion: base, currentVersion: latest, branch });
  }
}

async function commitAndIndex(ctx: OpContext, trx: Db, site: SiteRef, doc: DocAddr, p: PreparedVersion, moved: { commit?: Oid }): Promise<VersionRow> {
  const now = ctx.clock.now();
  // Every index statement runs while Git writes and fsyncs (the commit id is announced when the
  // commit is built: CommitOnRefArgs.onBuilt); only COMMIT waits for the ref to move. A failure
  // on either side rolls all of them back, and readers see nothing before COMMIT.
  let announced: (commit: Oid) => void = () => {};
  const built = new Promise<Oid>((resolve) => (announced = resolve));
  const releases: Array<() => void> = [];
  const git = commitVersion(ctx, site, doc, p, now, moved, (commit) => {
    releases.push(holdInFlight(ctx.repo(site.slug), commit));
    announced(commit);
  });
  const index = (async () => {
    await beginVersion(ctx, trx, site, p.document, p.d.branch, p.number);
    // Versions are immutable (a trigger): a rebuilt commit undoes the rows, not edits them.
    await trx.raw('SAVEPOINT verso_announced');
    // The commit is built well before the statements above return (bench/profileSave.ts).
    return recordSaved(ctx, trx, site, p, await Promise.race([built, git]), now);
  })();
  // Released while this transaction still holds the document's lock (it commits after we return).
  const [g, i] = await Promise.allSettled([git, index]).finally(() => releases.forEach((r) => r()));
  if (g.status === 'rejected') throw g.reason;
  if (i.status === 'rejected') throw i.reason;
  crashPoint(ctx, 'after-ref');
  if (i.value.commit_hash === g.value) return i.value;
  // Rebuilt on a head another process moved: record the commit that landed instead.
  await trx.raw('ROLLBACK TO SAVEPOINT verso_announced');
  return recordSaved(ctx, trx, site, p, g.value, now);
}

/** Steps 2 and 3: the blob, trees and commit, and the branch ref moved onto it. */
export async function commitVersion(ctx: OpContext, site: SiteRef, doc: DocAddr, p: PreparedVersion, now: number, moved: { commit?: Oid }, onBuilt?: (commit: Oid) => void): Promise<Oid> {
  const { commit } = await commitToBranch({
    repo: ctx.repo(site.slug),
    branch: p.d.branch,
    create: p.d.branch === 'main',
    ...commitStep(doc, p, now),
    beforeRefMove: () => crashPoint(ctx, 'after-commit'),
    ...(onBuilt ? { onBuilt } : {}),
  });
  moved.commit = commit;
  return commit;
}

/** The commit of one prepared version: its file, its blob's bytes, its trailers, its author. */
export function commitStep(doc: DocAddr, p: Pick<PreparedVersion, 'd' | 'number' | 'blob'>, now: number): Pick<CommitToBranchArgs, 'changes' | 'blobs' | 'message' | 'author'> {
  const { d, number, blob } = p;
  return {
    changes: [{ path: docPath(doc.type, doc.key, doc.locale, d.format), blob }],
    blobs: d.blob ? undefined : [d.bytes!],
    message: formatMessage(d.message, [
      { doc: `${doc.type}/${doc.key}/${doc.locale}`, kind: d.kind, source: d.source, branch: d.branch, version: number, rollbackOf: d.rollbackOf, idempotencyKey: d.idempotencyKey, metadata: d.metadata },
    ]),
    author: identity(d.author, now),
  };
}

/** Step 4 after beginVersion: the version row, its event and its search text. */
export async function recordSaved(ctx: OpContext, trx: Db, site: SiteRef, p: PreparedVersion, commit: Oid, now: number, o: { superseded?: boolean } = {}): Promise<VersionRow> {
  const { d, document, number, blob } = p;
  const { row } = await recordVersion(ctx, trx, site, {
    document,
    number,
    branch: d.branch,
    kind: d.kind,
    source: d.source,
    commit,
    blob,
    author: { name: d.author.name, email: d.author.email ?? null },
    message: d.message,
    metadata: d.metadata,
    idempotencyKey: d.idempotencyKey ?? null,
    // Second precision: the commit's time, so reindex from Git yields the same value.
    createdAt: new Date(Math.floor(now / 1000) * 1000),
    event: { branch: d.branch, kind: d.kind, source: d.source },
  }, { fresh: true, begun: true, bytes: d.bytes, ...o });
  return row;
}
