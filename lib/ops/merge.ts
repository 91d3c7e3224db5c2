/**
 * merge: brings the documents changed on `source` since the merge base into `into` (default
 * main) with one merge commit (two parents), each changed document becoming a new version of
 * kind 'merge' there. A document changed on both sides is merged per JSON field, markdown
 * section or text line (mergePlan.ts); what both sides changed differently is a conflict,
 * settled by a resolution or the policy (lww), else nothing is written and ConflictError's
 * `conflicts` lists every MergeConflict. `dryRun` answers the plan and writes nothing.
 * Always a merge commit, never a fast-forward, so the target's history (and its current
 * drafts) gains explicit versions.
 */
import { findDocument, lockOrCreateDocument } from '../db/queries/documents.js';
import { setArchived } from '../db/queries/recompute.js';
import { insertEvent } from '../db/queries/events.js';
import { actorColumns } from './actor.js';
import { findSiteById } from '../db/queries/sites.js';
import type { DocumentRow, VersionRow } from '../db/rows.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors/index.js';
import { parseBranch, parseDocPath } from '../ids.js';
import { formatMessage, type DocTrailer } from '../trailers.js';
import type { MergeOptions, MergeResult, Oid } from '../types.js';
import { commitToBranch, identity } from './commitToBranch.js';
import { crashPoint, stamp, type OpContext, type SiteRef } from './context.js';
import { recordVersion } from './recordVersion.js';
import { markIndexed, takeNumber } from './takeNumber.js';
import { parseAuthor, parseMessage } from './inputs.js';
import { parseMergeOptions } from './mergeInputs.js';
import { planMerge, type PlannedChange } from './mergePlan.js';
import { toVersion } from './toVersion.js';

export interface MergeArgs {
  ctx: OpContext;
  site: SiteRef;
  source: string;
  opts?: MergeOptions;
}

/** Plans made again when the target moved under a merge and touched what it merges. */
const REPLANS = 5;

/** The target branch changed a document the merge writes, between planning and the ref move. */
class TargetMoved extends Error {}

export async function merge(a: MergeArgs): Promise<MergeResult> {
  // A branch that takes steady saves moves during most merges (measured: 1 merge in 10 landed
  // at 20 saves/s on main). A move that touches none of the merged documents is harmless:
  // the merge commit goes on top of it (commitToBranch rebuilds on the new head). One that
  // touches them changes the plan: plan again, a few times, before giving up.
  for (let attempt = 1; ; attempt++) {
    try {
      return await mergeOnce(a);
    } catch (err) {
      if (!(err instanceof TargetMoved)) throw err;
      if (attempt >= REPLANS) throw new ConflictError(`branch ${err.message} moved during the merge; run it again`, { branch: err.message });
    }
  }
}

async function mergeOnce({ ctx, site, source, opts = {} }: MergeArgs): Promise<MergeResult> {
  const { policy, resolutions, dryRun } = parseMergeOptions(opts);
  const from = parseBranch(source, 'source');
  const into = parseBranch(opts.into ?? 'main', 'into');
  if (into === 'published' || from === 'published') throw new ValidationError('published changes only by publish and unpublish', { field: 'into' });
  if (from === into) throw new ValidationError('cannot merge a branch into itself', { field: 'into' });
  const author = parseAuthor(opts.author);
  const message = parseMessage(opts.message, `Merge ${from} into ${into}`);
  const repo = ctx.repo(site.slug);
  const [sourceHead, targetHead] = await Promise.all([repo.readRef(`refs/heads/${from}`), repo.readRef(`refs/heads/${into}`)]);
  if (!sourceHead) throw new NotFoundError(`branch ${from} does not exist`, { branch: from });
  if (!targetHead) throw new NotFoundError(`branch ${into} does not exist`, { branch: into });
  const nothing = (documents: MergeResult['documents'] = []): MergeResult => ({ branch: into, ...(dryRun ? {} : { commit: targetHead }), fastForward: false, dryRun, versions: [], conflicts: [], documents });
  if (await repo.isAncestor(sourceHead, targetHead)) {
    if (resolutions.length) throw new ValidationError('resolutions given, but there is nothing to merge', { field: 'resolutions' });
    return nothing();
  }

  const base = await repo.mergeBase(sourceHead, targetHead);
  const [theirs, ours] = await Promise.all([repo.changedPaths(base, sourceHead), repo.changedPaths(base, targetHead)]);
  // Policies are read fresh: another process may have changed them since this site was cached.
  const row = await findSiteById(ctx.knex, site.id);
  const policies = row ? { conflictPolicy: row.conflict_policy, typePolicies: row.type_policies ?? {} } : {};
  const plan = await planMerge({ ctx, site: { ...site, ...policies }, repo, from, into, ours, theirs, policy, resolutions, withContent: dryRun });
  if (dryRun) return { branch: into, fastForward: false, dryRun, versions: [], conflicts: plan.unresolved, documents: plan.documents };
  if (plan.unresolved.length) {
    const where = [...new Set(plan.unresolved.map((c) => `${c.doc} ${c.path || '(whole document)'}`))];
    throw new ConflictError(`merge of ${from} into ${into} has ${plan.unresolved.length} unresolved conflict(s): ${where.slice(0, 10).join(', ')}${where.length > 10 ? ', …' : ''}`, { conflicts: plan.unresolved });
  }
  const changes: PlannedChange[] = plan.changes;
  if (!changes.length) return nothing(plan.documents);

  const rows = await ctx.knex.transaction(async (trx) => {
    // Lock documents in path order so two merges cannot deadlock.
    const docs: Array<{ change: PlannedChange; document: DocumentRow; number: number; addr: { type: string; key: string; locale: string } }> = [];
    for (const change of [...changes].sort((a, b) => a.path.localeCompare(b.path))) {
      const addr = parseDocPath(change.path);
      if (!addr || !change.after || !site.locales.includes(addr.locale)) continue;
      const { format, ...a } = addr;
      const locked = await lockOrCreateDocument(trx, { site_id: site.id, ...a }, { id: ctx.newId(), format, ...stamp(ctx) });
      const { number, document } = await takeNumber(ctx, trx, site, locked);
      docs.push({ change, addr: a, document, number });
    }
    const trailers: DocTrailer[] = docs.map((d) => ({ doc: `${d.addr.type}/${d.addr.key}/${d.addr.locale}`, kind: 'merge', source: 'user', branch: into, version: d.number }));
    // Documents archived on the source are archived here too (a deletion, no version).
    const archived = changes.filter((c) => !c.after).map((c) => parseDocPath(c.path)).filter((a) => a !== undefined);
    const archiveTrailers: DocTrailer[] = archived.map((a) => ({ doc: `${a.type}/${a.key}/${a.locale}`, action: 'archive' }));
    const { commit } = await commitToBranch({
      repo,
      branch: into,
      changes: changes.map((c) => ({ path: c.path, blob: (c.after ?? null) as Oid | null })),
      message: formatMessage(message, [...trailers, ...archiveTrailers]),
      author: identity(author, ctx.clock.now()),
      extraParents: [sourceHead],
      blobs: plan.blobs,
      beforeRefMove: () => crashPoint(ctx, 'after-commit'),
      check: async (head) => {
        if (head === targetHead) return;
        const merged = new Set(changes.map((c) => c.path));
        if (!head || (await repo.changedPaths(targetHead, head)).some((c) => merged.has(c.path))) throw new TargetMoved(into);
      },
    });
    crashPoint(ctx, 'after-ref');
    const created: Array<{ row: VersionRow; addr: { type: string; key: string; locale: string } }> = [];
    const createdAt = new Date(Math.floor(ctx.clock.now() / 1000) * 1000);
    for (const d of docs) {
      const { row } = await recordVersion(ctx, trx, site, {
        document: d.document, number: d.number, branch: into, kind: 'merge', source: 'user', commit, blob: d.change.after!,
        author: { name: author.name, email: author.email ?? null }, message, metadata: {}, idempotencyKey: null, createdAt,
        event: { branch: into, kind: 'merge', from },
      }, { fresh: true });
      created.push({ row, addr: d.addr });
    }
    for (const a of archived) {
      const d = await findDocument(trx, { site_id: site.id, type: a.type, key: a.key, locale: a.locale });
      if (d && into === 'main') await setArchived(trx, d, true);
    }
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, action: 'branch.merge', commit_hash: commit, data: { from, into, documents: docs.length }, hlc: ctx.clock.tick(), node_id: ctx.nodeId, ...actorColumns(ctx, author) });
    return { commit, created };
  });
  markIndexed(repo, rows.commit);
  crashPoint(ctx, 'after-index');
  return { branch: into, commit: rows.commit, fastForward: false, dryRun, versions: rows.created.map((c) => toVersion(site, c.addr, c.row)), conflicts: [], documents: plan.documents };
}
