/**
 * gc (`verso gc [SITE]`): packs a site's loose objects now, as automatic maintenance does in the
 * background (lib/objects/maintenance.ts). Safe while saves run: see lib/objects/pack.ts.
 */
import { listSiteRows } from '../db/queries/sites.js';
import type { GcReport } from '../types.js';
import type { OpContext } from './context.js';
import { loadSite } from './loadSite.js';

export async function gc({ ctx, site }: { ctx: OpContext; site?: string }): Promise<GcReport> {
  const slugs = site ? [(await loadSite(ctx, site)).slug] : (await listSiteRows(ctx.knex)).map((r) => r.slug);
  const report: GcReport = { sites: [] };
  for (const slug of slugs) {
    const repo = ctx.repo(slug);
    // A background run already under way would race this one for git's gc lock.
    await repo.maintenanceIdle();
    const { packed, loose } = await repo.pack();
    report.sites.push({ site: slug, packed, loose });
  }
  return report;
}
