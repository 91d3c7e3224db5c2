/** show: one version with its content, read from Git by blob hash. */
import { decodeContent } from '../content.js';
import type { Version, VersionRef } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { requireDocument } from './requireDocument.js';
import { resolveRef } from './resolveRef.js';
import { toVersion, type DocAddr } from './toVersion.js';
import type { Oid } from '../types.js';

export async function show({ ctx, site, doc, ref }: { ctx: OpContext; site: SiteRef; doc: DocAddr; ref: VersionRef }): Promise<Version & { content: unknown }> {
  const document = await requireDocument(ctx.knex, site, doc);
  const row = await resolveRef(ctx.knex, site.id, document.id, ref);
  const bytes = await ctx.repo(site.slug).readBlob(row.blob_hash as Oid);
  return { ...toVersion(site, doc, row), content: decodeContent(bytes, document.format) };
}
