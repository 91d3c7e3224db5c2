/**
 * Derives the current-published flags from the `published` branch: the newest publish or
 * unpublish commit of each document says what is live, and has its change event (appended
 * once if a crash after the ref move lost it). `limit` bounds the walk on start-up; fsck and
 * reindex walk it whole.
 */
import type { Db } from '../db/connection.js';
import { findDocument } from '../db/queries/documents.js';
import { eventExists, insertEvent } from '../db/queries/events.js';
import { findCurrent, findVersionByNumber, moveFlag } from '../db/queries/versions.js';
import { parseMessage } from '../trailers.js';
import type { FsckIssue } from '../types.js';
import type { OpContext, SiteRef } from './context.js';

export async function syncPublished(ctx: OpContext, trx: Db, site: SiteRef, opts: { limit?: number; repair: boolean }): Promise<FsckIssue[]> {
  const repo = ctx.repo(site.slug);
  const head = await repo.readRef('refs/heads/published');
  const issues: FsckIssue[] = [];
  if (!head) return issues;
  const seen = new Set<string>();
  let walked = 0;
  for await (const c of repo.walk(head)) {
    if (opts.limit !== undefined && ++walked > opts.limit) break;
    for (const t of parseMessage(c.message).docs) {
      if (!t.action || seen.has(t.doc)) continue;
      seen.add(t.doc);
      const [type, key, locale] = t.doc.split('/') as [string, string, string];
      const document = await findDocument(trx, { site_id: site.id, type, key, locale });
      if (!document) continue;
      await repairEvent(ctx, trx, site, document.id, t.action, t.version, c.oid, opts.repair, issues);
      const current = await findCurrent(trx, site.id, document.id, 'is_current_published');
      const want = t.action === 'publish' && t.version !== undefined ? await findVersionByNumber(trx, site.id, document.id, t.version) : undefined;
      if ((current?.id ?? null) === (want?.id ?? null)) continue;
      issues.push({ site: site.slug, kind: 'flag_drift', detail: `${t.doc}: published should be ${want ? `version ${want.number}` : 'nothing'}, index says ${current ? `version ${current.number}` : 'nothing'}`, repaired: opts.repair });
      if (opts.repair) await moveFlag(trx, site.id, document.id, 'is_current_published', want?.id ?? null, { hlc_modified: ctx.clock.tick() });
    }
  }
  return issues;
}

/** A publish or unpublish whose index transaction a crash lost gets its change event, once. */
async function repairEvent(ctx: OpContext, trx: Db, site: SiteRef, documentId: string, action: string, version: number | undefined, commit: string, repair: boolean, issues: FsckIssue[]): Promise<void> {
  const name = action === 'publish' ? 'version.publish' : action === 'unpublish' ? 'version.unpublish' : undefined;
  if (!name || (await eventExists(trx, site.id, name, commit, documentId))) return;
  issues.push({ site: site.slug, kind: 'missing_event', detail: `${name} ${commit.slice(0, 12)}`, repaired: repair });
  if (repair) {
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: documentId, action: name, version_number: version ?? null, commit_hash: commit, data: { indexedFromGit: true }, hlc: ctx.clock.tick(), node_id: ctx.nodeId });
  }
}
