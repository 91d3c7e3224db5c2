/**
 * label / removeLabel / labels / labelHistory: movable, named pointers at versions (a prompt's
 * `production`, a PRD's `approved`). Git holds them and their history (labelCommits.ts); the
 * label_moves rows are its index. Moves of one document's labels run under the document's row
 * lock, so the `from` each commit records is the value the previous move left.
 */
import { findCurrentLabel, insertLabelMove, listCurrentLabels, listLabelMoves, type LabelMoveRow } from '../db/queries/labels.js';
import { insertEvent } from '../db/queries/events.js';
import { iso } from '../db/rows.js';
import type { Db } from '../db/connection.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { parseSlug } from '../ids.js';
import type { Author, Label, LabelMove, VersionRef } from '../types.js';
import { commitToBranch, identity } from './commitToBranch.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { parseAuthor, parseMessage } from './inputs.js';
import { formatLabelMessage, labelFile, labelPath, LABELS_BRANCH, LABELS_REF, parseLabelFile, type LabelTrailers } from './labelCommits.js';
import { lockExisting } from './publish.js';
import { requireDocument } from './requireDocument.js';
import { resolveRef } from './resolveRef.js';
import type { DocAddr } from './toVersion.js';

export function parseLabelName(name: unknown): string {
  return parseSlug(name, 'name');
}

const authorOf = (name: string, email: string | null): Author => (email ? { name, email } : { name });

export function toLabel(r: LabelMoveRow): Label {
  return { name: r.name, versionNumber: r.to_version!, commit: r.to_commit!, movedAt: iso(r.moved_at), movedBy: authorOf(r.moved_by_name, r.moved_by_email) };
}

function toMove(r: LabelMoveRow): LabelMove {
  return {
    name: r.name,
    ...(r.from_version !== null ? { from: r.from_version } : {}),
    ...(r.to_version !== null ? { to: r.to_version } : {}),
    at: iso(r.moved_at),
    by: authorOf(r.moved_by_name, r.moved_by_email),
    message: r.message,
  };
}

/** What the labels branch says a label points at now (Git is the truth, not the index). */
async function labelInGit(ctx: OpContext, site: SiteRef, path: string): Promise<{ version: number; commit: string } | undefined> {
  const repo = ctx.repo(site.slug);
  const head = await repo.readRef(LABELS_REF);
  const blob = head && (await repo.readPath(head, path));
  return blob ? parseLabelFile(await repo.readBlob(blob)) : undefined;
}

interface Move {
  doc: DocAddr;
  name: string;
  to?: { number: number; commit: string };
  author: Author;
  message: string;
}

/** One commit on the labels branch and its index row, in `trx` under the document's lock. */
async function writeMove(ctx: OpContext, trx: Db, site: SiteRef, documentId: string, m: Move, from: number | undefined): Promise<LabelMoveRow> {
  const path = labelPath(m.doc, m.name);
  const at = new Date(ctx.clock.now());
  const trailers: LabelTrailers = { doc: `${m.doc.type}/${m.doc.key}/${m.doc.locale}`, name: m.name, from, to: m.to?.number, commit: m.to?.commit, at: at.toISOString() };
  const what = m.to ? `${from === undefined ? 'Set' : 'Move'} label ${m.name} of ${trailers.doc} to version ${m.to.number}` : `Remove label ${m.name} of ${trailers.doc}`;
  const file = m.to ? labelFile(m.to.number, m.to.commit) : undefined;
  const repo = ctx.repo(site.slug);
  const { commit } = await commitToBranch({
    repo,
    branch: LABELS_BRANCH,
    create: true,
    changes: [{ path, blob: file ? repo.hashBlob(file) : null }],
    ...(file ? { blobs: [file] } : {}),
    message: formatLabelMessage(m.message || what, trailers),
    author: identity(m.author, at.getTime()),
  });
  const s = stamp(ctx);
  const row: LabelMoveRow = {
    id: ctx.newId(), site_id: site.id, document_id: documentId, name: m.name,
    from_version: from ?? null, to_version: m.to?.number ?? null, to_commit: m.to?.commit ?? null, label_commit: commit,
    moved_by_name: m.author.name, moved_by_email: m.author.email ?? null, message: m.message || what, moved_at: at,
  };
  await insertLabelMove(trx, { ...row, ...s });
  await insertEvent(trx, {
    id: ctx.newId(), site_id: site.id, document_id: documentId, action: m.to ? 'label.move' : 'label.remove',
    version_number: m.to?.number ?? null, commit_hash: commit, data: { label: m.name, from: from ?? null, to: m.to?.number ?? null, by: m.author.name },
    hlc: s.hlc_modified, node_id: ctx.nodeId,
  });
  return row;
}

/**
 * Points label `name` at the version `ref` names, creating it or moving it (one commit on the
 * labels branch). Moving a label to where it already is changes nothing.
 * @throws ValidationError for a name that is not a slug; NotFoundError for an unknown ref.
 * @example await doc.label('production', 7, { author: 'Ann', message: 'ship the new tone' })
 */
export async function label({ ctx, site, doc, name, ref, opts = {} }: { ctx: OpContext; site: SiteRef; doc: DocAddr; name: string; ref: VersionRef; opts?: { message?: string; author?: Author | string } }): Promise<Label> {
  const labelName = parseLabelName(name);
  const author = parseAuthor(opts.author);
  const message = parseMessage(opts.message, '').trim();
  if (message.includes('\u0000')) throw new ValidationError('message must not contain NUL', { field: 'message' });
  return ctx.knex.transaction(async (trx) => {
    const document = await lockExisting(trx, site, doc);
    const version = await resolveRef(trx, site.id, document.id, ref);
    const current = await labelInGit(ctx, site, labelPath(doc, labelName));
    if (current && current.version === version.number && current.commit === version.commit_hash) {
      const row = await findCurrentLabel(trx, site.id, document.id, labelName);
      if (row && row.to_version === version.number) return toLabel(row);
    }
    const row = await writeMove(ctx, trx, site, document.id, { doc, name: labelName, to: { number: version.number, commit: version.commit_hash }, author, message }, current?.version);
    return toLabel(row);
  });
}

/**
 * Removes a label; its history stays (the removal is a commit too).
 * @throws NotFoundError when the document has no such label.
 */
export async function removeLabel({ ctx, site, doc, name, opts = {} }: { ctx: OpContext; site: SiteRef; doc: DocAddr; name: string; opts?: { author?: Author | string; message?: string } }): Promise<void> {
  const labelName = parseLabelName(name);
  const author = parseAuthor(opts.author);
  const message = parseMessage(opts.message, '').trim();
  if (message.includes('\u0000')) throw new ValidationError('message must not contain NUL', { field: 'message' });
  await ctx.knex.transaction(async (trx) => {
    const document = await lockExisting(trx, site, doc);
    const current = await labelInGit(ctx, site, labelPath(doc, labelName));
    if (!current) throw new NotFoundError(`no label ${labelName} on this document`, { name: labelName });
    await writeMove(ctx, trx, site, document.id, { doc, name: labelName, author, message }, current.version);
  });
}

export async function listLabels({ ctx, site, doc }: { ctx: OpContext; site: SiteRef; doc: DocAddr }): Promise<Label[]> {
  const document = await requireDocument(ctx.knex, site, doc);
  return (await listCurrentLabels(ctx.knex, site.id, document.id)).map(toLabel);
}

/** Every move of a label, newest first: who moved it when, from which version to which. */
export async function labelHistory({ ctx, site, doc, name }: { ctx: OpContext; site: SiteRef; doc: DocAddr; name: string }): Promise<LabelMove[]> {
  const labelName = parseLabelName(name);
  const document = await requireDocument(ctx.knex, site, doc);
  const rows = await listLabelMoves(ctx.knex, site.id, document.id, labelName);
  if (!rows.length) throw new NotFoundError(`no label ${labelName} on this document`, { name: labelName });
  return rows.map(toMove);
}

