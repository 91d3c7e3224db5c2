/** mappings: where a document is mapped, with each mapping's last known status (no remote call). */
import { listCurrentBlobs, listMappingsOfDocument } from '../../db/queries/integrations.js';
import { findDocument } from '../../db/queries/documents.js';
import type { Mapping } from '../../types.js';
import type { OpContext, SiteRef } from '../context.js';
import type { DocAddr } from '../toVersion.js';
import { toMapping } from './mappingStatus.js';

export async function listMappings({ ctx, site, doc }: { ctx: OpContext; site: SiteRef; doc: DocAddr }): Promise<Mapping[]> {
  const document = await findDocument(ctx.knex, { site_id: site.id, ...doc });
  if (!document) return [];
  const rows = await listMappingsOfDocument(ctx.knex, site.id, document.id);
  const current = await listCurrentBlobs(ctx.knex, site.id, [document.id]);
  return rows.map((m) => toMapping(m, current.get(document.id)));
}
