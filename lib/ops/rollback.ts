/**
 * rollback: a NEW version on main whose content equals `to` (the same blob); history is never
 * rewritten. With `publish: true` the new version is published too.
 */
import { findDocument } from '../db/queries/documents.js';
import { NotFoundError } from '../errors/index.js';
import type { RollbackOptions, Version, VersionRef } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { parseAuthor, parseMessage } from './inputs.js';
import { publish } from './publish.js';
import { resolveRef } from './resolveRef.js';
import { writeVersion } from './save.js';
import type { DocAddr } from './toVersion.js';
import type { Oid } from '../types.js';

export async function rollback({ ctx, site, doc, to, opts = {} }: { ctx: OpContext; site: SiteRef; doc: DocAddr; to: VersionRef; opts?: RollbackOptions }): Promise<Version> {
  const document = await findDocument(ctx.knex, { site_id: site.id, ...doc });
  if (!document) throw new NotFoundError(`document ${doc.type}/${doc.key}/${doc.locale} does not exist`, { ...doc });
  const target = await resolveRef(ctx.knex, site.id, document.id, to, 'to');
  const author = parseAuthor(opts.author);
  const version = await writeVersion(ctx, site, doc, {
    blob: target.blob_hash as Oid,
    format: document.format,
    message: parseMessage(opts.message, `Roll back to version ${target.number}`),
    author,
    kind: 'rollback',
    source: 'user',
    branch: 'main',
    metadata: {},
    rollbackOf: target.number,
  });
  // The one who rolls back publishes too, and the publish commit says so.
  return opts.publish ? publish({ ctx, site, doc, ref: version.number, publisher: author }) : version;
}
