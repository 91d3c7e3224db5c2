/**
 * Rebuilds the index of labels (label_moves) of one site from the `labels` branch alone:
 * every commit on it, oldest first, is one move. Called by reindex in the same transaction as
 * the versions, after them. A commit without label trailers, or for a document the index does
 * not know, is skipped with a warning: recovery never fails on what Git holds.
 */
import type { Db } from '../db/connection.js';
import { findDocument } from '../db/queries/documents.js';
import { deleteSiteLabelMoves, insertLabelMove } from '../db/queries/labels.js';
import type { CommitInfo } from '../objects/index.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { LABELS_REF, parseLabelCommit, type LabelTrailers } from './labelCommits.js';

/** What the label_moves CHECKs require, so one odd commit cannot fail the whole rebuild. */
function wellFormed(t: LabelTrailers): boolean {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(t.name) || t.name.length > 63) return false;
  if (t.from === undefined && t.to === undefined) return false;
  return t.to === undefined || (t.commit !== undefined && /^[0-9a-f]{40}$/.test(t.commit));
}

export async function rebuildLabels(ctx: OpContext, trx: Db, site: SiteRef): Promise<{ moves: number }> {
  const repo = ctx.repo(site.slug);
  await deleteSiteLabelMoves(trx, site.id);
  const head = await repo.readRef(LABELS_REF);
  if (!head) return { moves: 0 };
  const commits: CommitInfo[] = [];
  for await (const c of repo.walk(head)) commits.push(c);
  let moves = 0;
  for (const c of commits.reverse()) {
    const parsed = parseLabelCommit(c);
    const [type, key, locale] = parsed ? parsed.trailers.doc.split('/') : [];
    const document = type && key && locale ? await findDocument(trx, { site_id: site.id, type, key, locale }) : undefined;
    if (!parsed || !document || !wellFormed(parsed.trailers)) {
      ctx.log.warn({ site: site.slug, commit: c.oid }, 'labels branch commit names no known label move; skipped');
      continue;
    }
    const t = parsed.trailers;
    const at = t.at && !Number.isNaN(Date.parse(t.at)) ? new Date(t.at) : new Date(c.author.timestamp * 1000);
    await insertLabelMove(trx, {
      id: ctx.newId(), site_id: site.id, document_id: document.id, name: t.name,
      from_version: t.from ?? null, to_version: t.to ?? null, to_commit: t.to !== undefined ? (t.commit ?? null) : null,
      label_commit: c.oid, moved_by_name: c.author.name.slice(0, 200) || 'unknown', moved_by_email: c.author.email || null,
      message: parsed.summary.slice(0, 20_000), moved_at: at, ...stamp(ctx),
    });
    moves++;
  }
  return { moves };
}
