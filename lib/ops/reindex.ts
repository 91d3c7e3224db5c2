/**
 * reindex: rebuilds a site's history index from Git alone. Version rows are dropped and every
 * commit reachable from the branches (and from refs kept for deleted branches) is indexed
 * again from its trailers, oldest first; flags are then derived as on start-up.
 * Plain-git commits take the numbers their version notes recorded when they were first indexed
 * (versionNotes.ts), so reindex gives the numbers the live index gave. One without a note (never
 * indexed, or indexed before notes existed) is numbered after every numbered commit, so it
 * cannot take a number a later trailer claims; its note is written then.
 * Comments, previews, keys and mappings are not history and are left untouched.
 */
import { listSiteRows } from '../db/queries/sites.js';
import { recomputeDraftFlags, resetSiteDocuments } from '../db/queries/recompute.js';
import { deleteSiteVersions } from '../db/queries/versions.js';
import type { CommitInfo } from '../objects/index.js';
import type { ReindexReport } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { indexCommit, isPlainCommit } from './indexCommit.js';
import { loadSite } from './loadSite.js';
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
    await deleteSiteVersions(trx, site.id);
    await resetSiteDocuments(trx, site.id);
    let done = 0;
    for (const { branch, c } of order) {
      const r = await indexCommit(ctx, trx, site, branch, c);
      versions += r.versions;
      r.documents.forEach((d) => documents.add(d));
      if (onProgress && (++done % 100 === 0 || done === order.length)) onProgress(done, order.length);
    }
    await recomputeDraftFlags(trx, site.id);
    await syncPublished(ctx, trx, site, { repair: true });
    await rebuildLabels(ctx, trx, site);
  });
  return { versions, documents: documents.size };
}

function rank(ref: string): number {
  return ref === 'refs/heads/main' ? 0 : ref.startsWith('refs/heads/') ? 1 : 2;
}
