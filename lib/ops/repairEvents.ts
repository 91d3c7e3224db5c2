/**
 * The part of a write that Git records and the index may have lost in a crash after the ref
 * moved, other than version rows (which reconcile indexes): a merge's `branch.merge` event and
 * an archive (the document's state and its `document.archive` event). Walks a branch newest
 * first (`limit` commits on start-up, everything for fsck --full); for each document the newest
 * of its archive and its version decides whether it is archived. Each event is appended once:
 * the commit id finds the first.
 */
import type { Db } from '../db/connection.js';
import { findDocument } from '../db/queries/documents.js';
import { eventExists, insertEvent } from '../db/queries/events.js';
import { setArchived } from '../db/queries/recompute.js';
import { parseMessage } from '../trailers.js';
import type { FsckIssue, Oid } from '../types.js';
import type { OpContext, SiteRef } from './context.js';

export async function repairBranchEvents(ctx: OpContext, trx: Db, site: SiteRef, branch: string, head: Oid, opts: { limit?: number; repair: boolean }): Promise<FsckIssue[]> {
  const repo = ctx.repo(site.slug);
  const issues: FsckIssue[] = [];
  const decided = new Set<string>();
  let walked = 0;
  for await (const c of repo.walk(head)) {
    if (opts.limit !== undefined && ++walked > opts.limit) break;
    const docs = parseMessage(c.message).docs;
    if (c.parents.length > 1 && docs.some((t) => t.kind === 'merge') && !(await eventExists(trx, site.id, 'branch.merge', c.oid))) {
      issues.push({ site: site.slug, kind: 'missing_event', detail: `branch.merge ${c.oid.slice(0, 12)} into ${branch}`, repaired: opts.repair });
      if (opts.repair) {
        await insertEvent(trx, { id: ctx.newId(), site_id: site.id, action: 'branch.merge', commit_hash: c.oid, data: { into: branch, documents: docs.filter((t) => t.kind === 'merge').length, indexedFromGit: true }, hlc: ctx.clock.tick(), node_id: ctx.nodeId });
      }
    }
    if (branch !== 'main') continue;
    for (const t of docs) {
      if (decided.has(t.doc) || (t.action && t.action !== 'archive')) continue;
      decided.add(t.doc);
      if (t.action !== 'archive') continue;
      const [type, key, locale] = t.doc.split('/') as [string, string, string];
      const document = await findDocument(trx, { site_id: site.id, type, key, locale });
      if (!document) continue;
      if (!document.archived_at) {
        issues.push({ site: site.slug, kind: 'archive_drift', detail: `${t.doc} is archived in Git (${c.oid.slice(0, 12)}), not in the index`, repaired: opts.repair });
        if (opts.repair) await setArchived(trx, document, true);
      }
      if (!(await eventExists(trx, site.id, 'document.archive', c.oid, document.id))) {
        issues.push({ site: site.slug, kind: 'missing_event', detail: `document.archive ${t.doc} ${c.oid.slice(0, 12)}`, repaired: opts.repair });
        if (opts.repair) await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: document.id, action: 'document.archive', commit_hash: c.oid, data: { indexedFromGit: true }, hlc: ctx.clock.tick(), node_id: ctx.nodeId });
      }
    }
  }
  return issues;
}
