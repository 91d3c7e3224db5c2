/** show: one version with its content, read from Git by blob hash. */
import { decodeContent } from '../content.js';
import { findVersionAt } from '../db/queries/versions.js';
import type { VersionRow } from '../db/rows.js';
import type { Format, Oid, Version, VersionRef } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { requireDocument } from './requireDocument.js';
import { resolveRef } from './resolveRef.js';
import { toVersion, type DocAddr } from './toVersion.js';

export async function show({ ctx, site, doc, ref }: { ctx: OpContext; site: SiteRef; doc: DocAddr; ref: VersionRef }): Promise<Version & { content: unknown }> {
  const withContent = async (row: VersionRow, format: Format) => {
    const bytes = await ctx.repo(site.slug).readBlob(row.blob_hash as Oid);
    return { ...toVersion(site, doc, row), content: decodeContent(bytes, format) };
  };
  // A number, 'draft' or 'published' (nearly every show) takes one statement; anything else, or
  // a miss, takes the general path, which also says what is missing.
  const at =
    typeof ref === 'number' && Number.isSafeInteger(ref) && ref >= 1 ? { number: ref }
    : ref === 'draft' ? { flag: 'is_current_draft' as const }
    : ref === 'published' ? { flag: 'is_current_published' as const }
    : undefined;
  const hit = at && (await findVersionAt(ctx.knex, site.id, doc, at));
  if (hit) {
    const { document_format, ...row } = hit;
    return withContent(row, document_format);
  }
  const document = await requireDocument(ctx.knex, site, doc);
  return withContent(await resolveRef(ctx.knex, site.id, document.id, ref), document.format);
}
