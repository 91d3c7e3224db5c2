/** previews / revokePreview: the preview links of a document, without their tokens (never shown again). */
import { insertEvent } from '../db/queries/events.js';
import { listPreviewRows, revokePreviewRow, type PreviewInfoRow } from '../db/queries/previews.js';
import { iso } from '../db/rows.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import type { PreviewInfo } from '../types.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { requireDocument } from './requireDocument.js';
import type { DocAddr } from './toVersion.js';

function toInfo(r: PreviewInfoRow): PreviewInfo {
  return {
    id: r.id,
    ...(r.version_number !== null ? { versionNumber: r.version_number } : { follows: 'draft' as const }),
    ...(r.domain ? { domain: r.domain } : {}),
    expiresAt: iso(r.expires_at),
    ...(r.max_uses !== null ? { maxUses: r.max_uses } : {}),
    uses: r.use_count,
    revoked: r.revoked_at !== null,
    createdAt: iso(r.created_at),
  };
}

/** A document's preview links, newest first. */
export async function listPreviews({ ctx, site, doc }: { ctx: OpContext; site: SiteRef; doc: DocAddr }): Promise<PreviewInfo[]> {
  const document = await requireDocument(ctx.knex, site, doc);
  return (await listPreviewRows(ctx.knex, site.id, document.id)).map(toInfo);
}

/**
 * Revokes a preview link at once (revoking twice is not an error).
 * @throws NotFoundError when the document has no link with this id.
 */
export async function revokePreview({ ctx, site, doc, id }: { ctx: OpContext; site: SiteRef; doc: DocAddr; id: string }): Promise<void> {
  if (typeof id !== 'string' || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) throw new ValidationError('preview id must be a ULID', { field: 'id' });
  const document = await requireDocument(ctx.knex, site, doc);
  await ctx.knex.transaction(async (trx) => {
    const s = stamp(ctx);
    if (!(await revokePreviewRow(trx, site.id, document.id, id, s))) throw new NotFoundError(`no preview link ${id} on this document`, { id });
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: document.id, action: 'preview.revoke', data: { preview: id }, hlc: s.hlc_modified, node_id: ctx.nodeId });
  });
}
