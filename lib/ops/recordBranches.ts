/**
 * Branches that arrived by `git push` (a ref without an index row): recorded with their
 * branch.create event when reconcile first sees them, naming the head commit's author.
 */
import { insertBranchIfAbsent, listBranchRows } from '../db/queries/branches.js';
import { insertEvent } from '../db/queries/events.js';
import type { Oid } from '../types.js';
import { actorColumns } from './actor.js';
import { stamp, type OpContext, type SiteRef } from './context.js';

const OWN = new Set(['main', 'published']);

export async function recordPushedBranches(ctx: OpContext, site: SiteRef, refs: Array<{ ref: string; oid: string }>, indexable: (name: string) => boolean): Promise<void> {
  const known = new Set((await listBranchRows(ctx.knex, site.id)).map((r) => r.name));
  for (const { ref, oid } of refs) {
    const branch = ref.slice('refs/heads/'.length);
    if (OWN.has(branch) || known.has(branch) || !indexable(branch)) continue;
    const head = await ctx.repo(site.slug).readCommit(oid as Oid);
    const s = stamp(ctx);
    await ctx.knex.transaction(async (trx) => {
      if (!(await insertBranchIfAbsent(trx, { id: ctx.newId(), site_id: site.id, name: branch, created_from: null, ...s }))) return;
      await insertEvent(trx, {
        id: ctx.newId(), site_id: site.id, action: 'branch.create', commit_hash: oid, data: { branch, pushed: true },
        hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx, { name: head.author.name || 'unknown' }),
      });
    });
  }
}
