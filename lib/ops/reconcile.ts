/**
 * reconcile (start-up recovery and `verso fsck`): finds commits Git has and the index lacks —
 * a crash between moving the ref and committing the index transaction leaves exactly those —
 * and indexes them from their trailers; realigns current flags; clears stale ref locks.
 * On start-up each branch is walked back until WINDOW consecutive commits are indexed; fsck
 * (`full`) walks everything. A plain-git commit that changes no document has no version rows:
 * its version note (versionNotes.ts) is what says it was indexed.
 */
import { listSiteRows } from '../db/queries/sites.js';
import { listQuarantine, quarantinedCommits } from '../db/queries/quarantine.js';
import { indexedCommits } from '../db/queries/versions.js';
import { parseBranch } from '../ids.js';
import type { CommitInfo } from '../objects/index.js';
import type { FsckIssue, FsckReport } from '../types.js';
import { crashPoint, type OpContext, type SiteRef } from './context.js';
import { carriesVersions, indexCommitSafely, isPlainCommit } from './indexCommit.js';
import { LABELS_BRANCH } from './labelCommits.js';
import { loadSite } from './loadSite.js';
import { rebuildDerived } from './rebuildDerived.js';
import { repairBranchEvents } from './repairEvents.js';
import { syncPublished } from './syncPublished.js';
import { readVersionNote } from './versionNotes.js';
import { recordPushedBranches } from './recordBranches.js';

const WINDOW = 200;
const STALE_LOCK_MS = 60_000;

export async function reconcile({ ctx, site, repair, full = false }: { ctx: OpContext; site?: string; repair: boolean; full?: boolean }): Promise<FsckReport> {
  const slugs = site ? [site] : (await listSiteRows(ctx.knex)).map((r) => r.slug);
  const issues: FsckIssue[] = [];
  for (const slug of slugs) issues.push(...(await reconcileSite(ctx, await loadSite(ctx, slug), repair, full)));
  return { ok: issues.every((i) => i.repaired), issues };
}

async function unindexedOnBranch(ctx: OpContext, site: SiteRef, head: CommitInfo['oid'], full: boolean): Promise<CommitInfo[]> {
  const repo = ctx.repo(site.slug);
  const missing: CommitInfo[] = [];
  let batch: CommitInfo[] = [];
  let indexedRun = 0;
  const quarantined = await quarantinedCommits(ctx.knex, site.id);
  const flush = async () => {
    const known = await indexedCommits(ctx.knex, site.id, batch.map((c) => c.oid));
    for (const c of batch) {
      if (known.has(c.oid) || quarantined.has(c.oid) || (isPlainCommit(c) && (await notedWithoutVersions(ctx, site, c)))) indexedRun++;
      else {
        missing.push(c);
        indexedRun = 0;
      }
    }
    batch = [];
  };
  for await (const c of repo.walk(head)) {
    if (!carriesVersions(c)) continue;
    batch.push(c);
    if (batch.length >= 100) {
      await flush();
      if (!full && indexedRun >= WINDOW) break;
    }
  }
  await flush();
  return missing.reverse(); // oldest first, so numbers of plain-git commits follow history
}

async function notedWithoutVersions(ctx: OpContext, site: SiteRef, c: CommitInfo): Promise<boolean> {
  const note = await readVersionNote(ctx.repo(site.slug), c.oid);
  return note !== undefined && note.every((t) => t.version === undefined);
}

/** Branch refs git allows but verso cannot index (a name that is not a slug). */
export function indexableBranch(name: string): boolean {
  try {
    parseBranch(name);
    return true;
  } catch {
    return false;
  }
}

async function reconcileSite(ctx: OpContext, site: SiteRef, repair: boolean, full: boolean): Promise<FsckIssue[]> {
  const repo = ctx.repo(site.slug);
  await repo.init();
  const issues: FsckIssue[] = [];
  for (const lock of await repo.clearStaleLocks(STALE_LOCK_MS)) {
    ctx.log.warn({ site: site.slug, lock }, 'removed a stale ref lock left by a killed writer');
    issues.push({ site: site.slug, kind: 'stale_lock', detail: lock, repaired: true });
  }
  const refs = await repo.listRefs('refs/heads/');
  for (const { ref, oid } of refs) {
    const branch = ref.slice('refs/heads/'.length);
    if (branch === 'published' || branch === LABELS_BRANCH) continue;
    if (!indexableBranch(branch)) {
      ctx.log.warn({ site: site.slug, ref }, 'branch name is not a slug; its commits are not indexed');
      continue;
    }
    const missing = await unindexedOnBranch(ctx, site, oid, full);
    for (const c of missing) {
      const detail = `${branch} ${c.oid.slice(0, 12)} ${c.message.split('\n')[0]}`;
      if (!repair) {
        issues.push({ site: site.slug, kind: 'unindexed_commit', detail, repaired: false });
        continue;
      }
      crashPoint(ctx, 'before-index');
      const done = await ctx.knex.transaction((trx) => indexCommitSafely(ctx, trx, site, branch, c));
      crashPoint(ctx, 'after-index');
      if (!done.quarantined) issues.push({ site: site.slug, kind: 'unindexed_commit', detail, repaired: true });
      for (const r of done.renumbered) {
        issues.push({ site: site.slug, kind: 'renumbered_version', detail: `${r.doc} ${c.oid.slice(0, 12)} claimed version ${r.from}, which another commit holds; indexed as version ${r.to}`, repaired: true });
      }
    }
    issues.push(...(await ctx.knex.transaction((trx) => repairBranchEvents(ctx, trx, site, branch, oid, { limit: full ? undefined : WINDOW, repair }))));
  }
  for (const q of await listQuarantine(ctx.knex, site.id)) {
    issues.push({ site: site.slug, kind: 'quarantined_commit', detail: `${q.branch} ${q.commit_hash.slice(0, 12)}: ${q.reason}`, repaired: true });
  }
  if (repair) await recordPushedBranches(ctx, site, refs, indexableBranch);
  await ctx.knex.transaction(async (trx) => {
    issues.push(...(await syncPublished(ctx, trx, site, { limit: full ? undefined : WINDOW, repair })));
    if (repair) await rebuildDerived(ctx, trx, site);
  });
  return issues;
}
