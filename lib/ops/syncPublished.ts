/**
 * Derives the current-published flags from the `published` branch: the newest publish or
 * unpublish commit of each document says what is live. `limit` bounds the walk on start-up;
 * fsck and reindex walk it whole.
 */
import type { Db } from '../db/connection.js';
import { findDocument } from '../db/queries/documents.js';
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
      const current = await findCurrent(trx, site.id, document.id, 'is_current_published');
      const want = t.action === 'publish' && t.version !== undefined ? await findVersionByNumber(trx, site.id, document.id, t.version) : undefined;
      if ((current?.id ?? null) === (want?.id ?? null)) continue;
      issues.push({ site: site.slug, kind: 'flag_drift', detail: `${t.doc}: published should be ${want ? `version ${want.number}` : 'nothing'}, index says ${current ? `version ${current.number}` : 'nothing'}`, repaired: opts.repair });
      if (opts.repair) await moveFlag(trx, site.id, document.id, 'is_current_published', want?.id ?? null, { hlc_modified: ctx.clock.tick() });
    }
  }
  return issues;
}
