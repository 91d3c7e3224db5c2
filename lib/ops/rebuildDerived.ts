/**
 * Rebuilds the index rows that Git refs alone define, other than versions: today the semver
 * tags (annotated tags `refs/tags/<type>/<key>/<locale>/v<semver>`). Reindex and start-up
 * reconcile call it after the versions are indexed; a row is written only where it differs
 * from Git, and a tag whose row was missing (a crash between the ref and the index) gets its
 * `tag.create` event then, once; branch rows follow refs/heads the same way. Labels join here
 * with their own one-line call.
 */
import type { Db } from '../db/connection.js';
import { deleteBranchRow, insertBranch, listBranchRows } from '../db/queries/branches.js';
import { findDocument } from '../db/queries/documents.js';
import { eventExists, insertEvent } from '../db/queries/events.js';
import { deleteTagRow, insertTag, listSiteTagRows } from '../db/queries/tags.js';
import { findVersionByCommit } from '../db/queries/versions.js';
import { parseSemver } from '../ids.js';
import type { Oid } from '../types.js';
import { OWN_BRANCHES } from './branches.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { indexableBranch } from './reconcile.js';

export async function rebuildDerived(ctx: OpContext, trx: Db, site: SiteRef): Promise<void> {
  await rebuildTags(ctx, trx, site);
  await rebuildBranches(ctx, trx, site);
}

/**
 * Branch rows follow refs/heads: a branch whose row is missing (created, then a crash before
 * the index) gets its row and its `branch.create` event; a row whose branch is gone (deleted,
 * then a crash) goes, with its `branch.delete` event. Each event is appended once.
 */
async function rebuildBranches(ctx: OpContext, trx: Db, site: SiteRef): Promise<void> {
  const repo = ctx.repo(site.slug);
  const refs = new Map((await repo.listRefs('refs/heads/')).map((r) => [r.ref.slice('refs/heads/'.length), r.oid]));
  const rows = new Set((await listBranchRows(trx, site.id)).map((r) => r.name));
  for (const [name, head] of refs) {
    if (OWN_BRANCHES.has(name) || rows.has(name) || !indexableBranch(name)) continue;
    const s = stamp(ctx);
    await insertBranch(trx, { id: ctx.newId(), site_id: site.id, name, created_from: null, ...s });
    if (!(await eventExists(trx, site.id, 'branch.create', head, undefined, { branch: name }))) {
      await insertEvent(trx, { id: ctx.newId(), site_id: site.id, action: 'branch.create', commit_hash: head, data: { branch: name }, hlc: s.hlc_modified, node_id: ctx.nodeId });
    }
  }
  const archived = await repo.listRefs('refs/verso/deleted/');
  for (const name of rows) {
    if (refs.has(name)) continue;
    await deleteBranchRow(trx, site.id, name);
    for (const { ref, oid } of archived) {
      if (!ref.startsWith(`refs/verso/deleted/${name}/`) || (await eventExists(trx, site.id, 'branch.delete', oid, undefined, { branch: name }))) continue;
      await insertEvent(trx, { id: ctx.newId(), site_id: site.id, action: 'branch.delete', commit_hash: oid, data: { branch: name }, hlc: ctx.clock.tick(), node_id: ctx.nodeId });
    }
  }
}

interface GitTag {
  documentId: string;
  name: string;
  versionNumber: number;
  commit: string;
  tagOid: string;
  message: string;
  tagger: string;
}

async function tagsInGit(ctx: OpContext, trx: Db, site: SiteRef): Promise<GitTag[]> {
  const repo = ctx.repo(site.slug);
  const out: GitTag[] = [];
  for (const { ref, oid } of await repo.listRefs('refs/tags/')) {
    const m = /^refs\/tags\/([^/]+)\/([^/]+)\/([^/]+)\/v([^/]+)$/.exec(ref);
    if (!m) continue;
    const [, type, key, locale, version] = m as unknown as [string, string, string, string, string];
    try {
      const name = parseSemver(version);
      const tag = await repo.readTag(oid as Oid);
      const document = await findDocument(trx, { site_id: site.id, type, key, locale });
      const row = document && (await findVersionByCommit(trx, site.id, document.id, tag.object));
      if (!document || !row) {
        ctx.log.warn({ site: site.slug, ref }, 'tag points at no indexed version of its document; not indexed');
        continue;
      }
      out.push({ documentId: document.id, name, versionNumber: row.number, commit: tag.object, tagOid: oid, message: tag.message.replace(/\n$/, ''), tagger: (tag.tagger || 'verso').slice(0, 200) });
    } catch (err) {
      // A lightweight tag, an unparsable name or object: not one of verso's tags.
      ctx.log.warn({ site: site.slug, ref, err: String(err) }, 'tag ref is not a verso tag; not indexed');
    }
  }
  return out;
}

async function rebuildTags(ctx: OpContext, trx: Db, site: SiteRef): Promise<void> {
  const want = await tagsInGit(ctx, trx, site);
  const have = new Map((await listSiteTagRows(trx, site.id)).map((r) => [`${r.document_id} ${r.name}`, r]));
  for (const t of want) {
    const k = `${t.documentId} ${t.name}`;
    const row = have.get(k);
    have.delete(k);
    if (row && row.tag_oid === t.tagOid && row.version_number === t.versionNumber && row.message === t.message) continue;
    if (row) await deleteTagRow(trx, site.id, row.id);
    const s = stamp(ctx);
    await insertTag(trx, { id: ctx.newId(), site_id: site.id, document_id: t.documentId, version_number: t.versionNumber, name: t.name, commit_hash: t.commit, tag_oid: t.tagOid, message: t.message, created_by: t.tagger, ...s });
    if (!(await eventExists(trx, site.id, 'tag.create', t.commit, t.documentId, { name: t.name }))) {
      await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: t.documentId, action: 'tag.create', version_number: t.versionNumber, commit_hash: t.commit, data: { name: t.name }, hlc: s.hlc_modified, node_id: ctx.nodeId });
    }
  }
  for (const gone of have.values()) await deleteTagRow(trx, site.id, gone.id);
}
