/**
 * Branches are site-wide lines of work (like a Contentful environment): a Git ref plus an index
 * row for metadata. `main` and `published` are verso's own and always listed.
 */
import { deleteBranchRow, insertBranch, listBranchRows } from '../db/queries/branches.js';
import { insertEvent } from '../db/queries/events.js';
import { actorColumns } from './actor.js';
import { iso } from '../db/rows.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors/index.js';
import { parseBranch } from '../ids.js';
import type { Branch, Oid } from '../types.js';
import { crashPoint, stamp, type OpContext, type SiteRef } from './context.js';

export const OWN_BRANCHES: ReadonlySet<string> = new Set(['main', 'published']);
const OWN = OWN_BRANCHES;

export async function listBranches({ ctx, site }: { ctx: OpContext; site: SiteRef }): Promise<Branch[]> {
  const repo = ctx.repo(site.slug);
  const [refs, rows] = await Promise.all([repo.listRefs('refs/heads/'), listBranchRows(ctx.knex, site.id)]);
  const created = new Map(rows.map((r) => [r.name, iso(r.created_at)]));
  return refs
    .map(({ ref, oid }) => ({ name: ref.slice('refs/heads/'.length), head: oid, createdAt: created.get(ref.slice('refs/heads/'.length)) ?? site.createdAt }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function createBranch({ ctx, site, name, from = 'main' }: { ctx: OpContext; site: SiteRef; name: string; from?: string }): Promise<Branch> {
  const branch = parseBranch(name, 'name');
  if (OWN.has(branch)) throw new ConflictError(`branch ${branch} exists`, { branch });
  const repo = ctx.repo(site.slug);
  const source = parseBranch(from, 'from');
  const head = await repo.readRef(`refs/heads/${source}`);
  if (!head) throw new NotFoundError(`branch ${source} does not exist (or has no commits yet)`, { branch: source });
  const cas = await repo.casRef(`refs/heads/${branch}`, undefined, head);
  if (!cas.ok) throw new ConflictError(`branch ${branch} exists`, { branch });
  crashPoint(ctx, 'after-ref');
  const s = stamp(ctx);
  await ctx.knex.transaction(async (trx) => {
    await insertBranch(trx, { id: ctx.newId(), site_id: site.id, name: branch, created_from: source, ...s });
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, action: 'branch.create', commit_hash: head, data: { branch, from: source }, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx) });
  });
  crashPoint(ctx, 'after-index');
  return { name: branch, head, createdAt: new Date().toISOString() };
}

export async function deleteBranch({ ctx, site, name }: { ctx: OpContext; site: SiteRef; name: string }): Promise<void> {
  const branch = parseBranch(name, 'name');
  if (OWN.has(branch)) throw new ValidationError(`branch ${branch} is verso's own and cannot be deleted`, { field: 'name' });
  const repo = ctx.repo(site.slug);
  const ref = `refs/heads/${branch}`;
  const head = await repo.readRef(ref);
  if (!head) throw new NotFoundError(`branch ${branch} does not exist`, { branch });
  // Versions saved on the branch stay in the index and their commits stay reachable from the
  // archive ref, so history is never lost by deleting a branch.
  await repo.casRef(`refs/verso/deleted/${branch}/${head.slice(0, 12)}`, undefined, head as Oid);
  crashPoint(ctx, 'after-commit');
  const cas = await repo.casRef(ref, head, null);
  if (!cas.ok) throw new ConflictError(`branch ${branch} moved while deleting; try again`, { branch });
  crashPoint(ctx, 'after-ref');
  const s = stamp(ctx);
  await ctx.knex.transaction(async (trx) => {
    await deleteBranchRow(trx, site.id, branch);
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, action: 'branch.delete', commit_hash: head, data: { branch }, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx) });
  });
  crashPoint(ctx, 'after-index');
}
