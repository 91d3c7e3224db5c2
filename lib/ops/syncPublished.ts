/**
 * Derives the current-published flags from the `published` branch: the newest publish or
 * unpublish commit of each document says what is live, and has its change event (appended
 * once if a crash after the ref move lost it). Each version's `published_at` is the time of
 * the newest commit that published it (what history shows), null when none did. `limit`
 * bounds the walk on start-up (then only the versions published inside it are checked); fsck
 * and reindex walk it whole.
 */
import type { Db } from '../db/connection.js';
import { findDocument } from '../db/queries/documents.js';
import { eventExists, insertEvent } from '../db/queries/events.js';
import { findCurrent, findVersionByNumber, listPublishedTimes, moveFlag, setPublishedAt } from '../db/queries/versions.js';
import { parseMessage } from '../trailers.js';
import type { FsckIssue } from '../types.js';
import type { OpContext, SiteRef } from './context.js';

export async function syncPublished(ctx: OpContext, trx: Db, site: SiteRef, opts: { limit?: number; repair: boolean }): Promise<FsckIssue[]> {
  const repo = ctx.repo(site.slug);
  const head = await repo.readRef('refs/heads/published');
  const issues: FsckIssue[] = [];
  if (!head) return issues;
  const seen = new Set<string>();
  /** 'type/key/locale' → version number → when it was last published (newest first walk). */
  const times = new Map<string, Map<number, Date>>();
  let walked = 0;
  let whole = true;
  for await (const c of repo.walk(head)) {
    if (opts.limit !== undefined && ++walked > opts.limit) {
      whole = false;
      break;
    }
    for (const t of parseMessage(c.message).docs) {
      if (t.action === 'publish' && t.version !== undefined) {
        const byNumber = times.get(t.doc) ?? new Map<number, Date>();
        if (!byNumber.has(t.version)) byNumber.set(t.version, new Date(c.committer.timestamp * 1000));
        times.set(t.doc, byNumber);
      }
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
  issues.push(...(await syncPublishedTimes(ctx, trx, site, times, { whole, repair: opts.repair })));
  return issues;
}

/**
 * Writes `published_at` where it differs from what the walk read from Git. Only a whole walk
 * may clear a time: a bounded one has not seen older publications.
 */
async function syncPublishedTimes(ctx: OpContext, trx: Db, site: SiteRef, times: Map<string, Map<number, Date>>, opts: { whole: boolean; repair: boolean }): Promise<FsckIssue[]> {
  const issues: FsckIssue[] = [];
  const have = new Map((await listPublishedTimes(trx, site.id)).map((r) => [`${r.document_id} ${r.number}`, { id: r.id, doc: r.doc, number: r.number, at: new Date(r.published_at).getTime() }]));
  const fix = async (id: string, at: Date | null, detail: string) => {
    issues.push({ site: site.slug, kind: 'published_at_drift', detail, repaired: opts.repair });
    if (opts.repair) await setPublishedAt(trx, site.id, id, at, { hlc_modified: ctx.clock.tick() });
  };
  for (const [doc, byNumber] of times) {
    const [type, key, locale] = doc.split('/') as [string, string, string];
    const document = await findDocument(trx, { site_id: site.id, type, key, locale });
    if (!document) continue;
    for (const [number, at] of byNumber) {
      const k = `${document.id} ${number}`;
      const row = have.get(k);
      have.delete(k);
      if (row?.at === at.getTime()) continue;
      const id = row?.id ?? (await findVersionByNumber(trx, site.id, document.id, number))?.id;
      if (id) await fix(id, at, `${doc} version ${number}: published ${at.toISOString()} in Git, index says ${row ? new Date(row.at).toISOString() : 'never'}`);
    }
  }
  if (!opts.whole) return issues;
  for (const row of have.values()) await fix(row.id, null, `${row.doc} version ${row.number}: never published in Git, index says ${new Date(row.at).toISOString()}`);
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
