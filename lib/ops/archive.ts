/**
 * archive: removes the document from main and from published with commits (so Git alone shows
 * it archived), and marks it archived in the index. A later save brings it back.
 */
import { updateDocument } from '../db/queries/documents.js';
import { insertEvent } from '../db/queries/events.js';
import { actorColumns } from './actor.js';
import { docPath } from '../ids.js';
import { formatMessage } from '../trailers.js';
import { commitToBranch, identity } from './commitToBranch.js';
import { crashPoint, stamp, type OpContext, type SiteRef } from './context.js';
import { lockExisting } from './publish.js';
import type { DocAddr } from './toVersion.js';
import { unpublishLocked } from './unpublish.js';

export async function archive({ ctx, site, doc }: { ctx: OpContext; site: SiteRef; doc: DocAddr }): Promise<void> {
  await ctx.knex.transaction(async (trx) => {
    const document = await lockExisting(trx, site, doc);
    if (document.archived_at) return;
    await unpublishLocked(ctx, trx, site, doc, document);
    const { commit } = await commitToBranch({
      repo: ctx.repo(site.slug),
      branch: 'main',
      create: true,
      changes: [{ path: docPath(doc.type, doc.key, doc.locale, document.format), blob: null }],
      message: formatMessage(`Archive ${doc.type}/${doc.key}/${doc.locale}`, [{ doc: `${doc.type}/${doc.key}/${doc.locale}`, action: 'archive' }]),
      author: identity({ name: 'verso' }, ctx.clock.now()),
      beforeRefMove: () => crashPoint(ctx, 'after-commit'),
    });
    crashPoint(ctx, 'after-ref');
    const s = stamp(ctx);
    await updateDocument(trx, document, { archived_at: new Date().toISOString(), hlc_modified: s.hlc_modified });
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: document.id, action: 'document.archive', commit_hash: commit, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx) });
  });
  crashPoint(ctx, 'after-index');
}
