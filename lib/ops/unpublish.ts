/** unpublish: removes the document from `published` with a commit, and clears the flag. */
import type { Db } from '../db/connection.js';
import { insertEvent } from '../db/queries/events.js';
import { actorColumns } from './actor.js';
import { findCurrent, moveFlag } from '../db/queries/versions.js';
import type { DocumentRow } from '../db/rows.js';
import { docPath } from '../ids.js';
import { formatMessage } from '../trailers.js';
import { commitToBranch, identity } from './commitToBranch.js';
import { crashPoint, stamp, type OpContext, type SiteRef } from './context.js';
import { lockExisting, PUBLISHED } from './publish.js';
import type { DocAddr } from './toVersion.js';

export async function unpublish({ ctx, site, doc }: { ctx: OpContext; site: SiteRef; doc: DocAddr }): Promise<void> {
  await ctx.knex.transaction(async (trx) => {
    const document = await lockExisting(trx, site, doc);
    await unpublishLocked(ctx, trx, site, doc, document);
  });
  crashPoint(ctx, 'after-index');
}

/** No-op when nothing is published, so unpublish is idempotent. */
export async function unpublishLocked(ctx: OpContext, trx: Db, site: SiteRef, doc: DocAddr, document: DocumentRow): Promise<void> {
  const current = await findCurrent(trx, site.id, document.id, 'is_current_published');
  if (!current) return;
  const { commit } = await commitToBranch({
    repo: ctx.repo(site.slug),
    branch: PUBLISHED,
    create: true,
    changes: [{ path: docPath(doc.type, doc.key, doc.locale, document.format), blob: null }],
    message: formatMessage(`Unpublish ${doc.type}/${doc.key}/${doc.locale}`, [{ doc: `${doc.type}/${doc.key}/${doc.locale}`, action: 'unpublish', version: current.number }]),
    author: identity({ name: 'verso' }, ctx.clock.now()),
    beforeRefMove: () => crashPoint(ctx, 'after-commit'),
  });
  crashPoint(ctx, 'after-ref');
  const s = stamp(ctx);
  await moveFlag(trx, site.id, document.id, 'is_current_published', null, { hlc_modified: s.hlc_modified });
  await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: document.id, action: 'version.unpublish', version_number: current.number, commit_hash: commit, hlc: s.hlc_modified, node_id: ctx.nodeId, old_values: { publishedVersion: current.number }, new_values: { publishedVersion: null }, ...actorColumns(ctx) });
}
