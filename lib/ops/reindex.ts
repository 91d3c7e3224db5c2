/**
 * reindex: rebuilds a site's history index from Git alone, in place. Every commit reachable
 * from the branches (and from refs kept for deleted branches) is indexed again from its
 * trailers, oldest first, through recordVersion: a version the index already holds keeps its
 * row (same id, no new event), a missing one is added, and only rows of commits Git no longer
 * has are deleted. Flags, counters and archive states are then derived once and written only
 * where they differ (documents keep their updated_at), tags are rebuilt from refs/tags
 * (rebuildDerived.ts), and a commit that cannot be indexed is quarantined, not fatal.
 * Plain-git commits take the numbers their version notes recorded when they were first indexed
 * (versionNotes.ts), so reindex gives the numbers the live index gave. One without a note (never
 * indexed, or indexed before notes existed) is numbered after every numbered commit, so it
 * cannot take a number a later trailer claims; its note is written then.
 * Comments, previews, keys, webhooks, deliveries and mappings are owned by the index, not
 * derived: reindex never writes them, and they point at versions by (document, number), which
 * this keeps stable.
 */
import { listSiteRows } from '../db/queries/sites.js';
import { quarantinedCommits } from '../db/queries/quarantine.js';
import { recomputeDraftFlags, setArchived, syncLatestNumbers } from '../db/queries/recompute.js';
import { deleteVersionsById, listSiteVersionCommits } from '../db/queries/versions.js';
import type { CommitInfo } from '../objects/index.js';
import type { ReindexReport } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { indexCommitSafely, isPlainCommit, type Replay } from './indexCommit.js';
import { loadSite } from './loadSite.js';
import { rebuildDerived } from './rebuildDerived.js';
import { indexableBranch } from './reconcile.js';
import { LABELS_REF } from './labelCommits.js';
import { rebuildLabels } from './rebuildLabels.js';
import { syncPublished } from './syncPublished.js';
import { readVersionNote } from './versionNotes.js';

export async function reindex({ ctx, site, onProgress }: { ctx: OpContext; site?: string; onProgress?: (done: number, total: number) => void }): Promise<ReindexReport> {
  const slugs = site ? [site] : (await listSiteRows(ctx.knex)).map((r) => r.slug);
  const report: ReindexReport = { sites: slugs, versions: 0, documents: 0 };
  for (const slug of slugs) {
    const r = await reindexSite(ctx, await loadSite(ctx, slug), onProgress);
    report.versions += r.versions;
    report.documents += r.documents;
  }
  return report;
}

async function reindexSite(ctx: OpContext, site: SiteRef, onProgress?: (done: number, total: number) => void): Promise<{ versions: number; documents: number }> {
  const repo = ctx.repo(site.slug);
  const refs = [...(await repo.listRefs('refs/heads/')), ...(await repo.listRefs('refs/verso/deleted/'))];
  // Each commit is indexed once, on the first branch it is reached from, main first: a commit
  // saved on a branch carries its branch in a trailer anyway.
  refs.sort((a, b) => rank(a.ref) - rank(b.ref));
  const seen = new Set<string>();
  const order: Array<{ branch: string; c: CommitInfo }> = [];
  for (const { ref, oid } of refs) {
    if (ref === 'refs/heads/published' || ref === LABELS_REF) continue;
    const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref.split('/')[3]!;
    if (!indexableBranch(branch)) continue;
    const chain: CommitInfo[] = [];
    for await (const c of repo.walk(oid)) {
      if (seen.has(c.oid)) continue;
      seen.add(c.oid);
      chain.push(c);
    }
    for (const c of chain.reverse()) order.push({ branch, c });
  }
  const numbered: typeof order = [];
  const unnumbered: typeof order = [];
  for (const item of order) {
    const later = isPlainCommit(item.c) && !(await readVersionNote(repo, item.c.oid));
    (later ? unnumbered : numbered).push(item);
  }
  order.splice(0, order.length, ...numbered, ...unnumbered);
  const documents = new Set<string>();
  let versions = 0;
  await ctx.knex.transaction(async (trx) => {
    const reachable = new Set<string>(order.map((o) => o.c.oid));
    const gone = (await listSiteVersionCommits(trx, site.id)).filter((r) => !reachable.has(r.commit_hash)).map((r) => r.id);
    await deleteVersionsById(trx, site.id, gone);
    const replay: Replay = { archived: new Map() };
    const quarantined = await quarantinedCommits(trx, site.id);
    let done = 0;
    for (const { branch, c } of order) {
      const r = await indexCommitSafely(ctx, trx, site, branch, c, { replay, quarantined });
      versions += r.recorded.length;
      r.recorded.forEach((d) => documents.add(d));
      if (onProgress && (++done % 100 === 0 || done === order.length)) onProgress(done, order.length);
    }
    await syncLatestNumbers(trx, site.id);
    for (const [id, archived] of replay.archived) await setArchived(trx, { site_id: site.id, id }, archived);
    await recomputeDraftFlags(trx, site.id);
    await syncPublished(ctx, trx, site, { repair: true });
    await rebuildDerived(ctx, trx, site);
    await rebuildLabels(ctx, trx, site);
  });
  // The search rows it added are pending: a rebuilt index answers searches like the live one.
  await ctx.searchIndex.catchUp(site.id);
  return { versions, documents: documents.size };
}

function rank(ref: string): number {
  return ref === 'refs/heads/main' ? 0 : ref.startsWith('refs/heads/') ? 1 : 2;
}
