/**
 * publish: puts a version's blob at its path on `refs/heads/published` (the live site) with a
 * commit whose trailers name the version, then moves the current-published flag. Runs under the
 * document's row lock so two publishes of one document cannot interleave.
 */
import { lockDocument } from '../db/queries/documents.js';
import { insertEvent } from '../db/queries/events.js';
import { flagHolder } from '../db/queries/audit.js';
import { actorColumns } from './actor.js';
import { moveFlag, setPublishedAt } from '../db/queries/versions.js';
import type { DocumentRow, VersionRow } from '../db/rows.js';
import type { Db } from '../db/connection.js';
import { NotFoundError } from '../errors/index.js';
import { docPath } from '../ids.js';
import { formatMessage } from '../trailers.js';
import type { Author, Oid, Version, VersionRef } from '../types.js';
import { actorAuthor } from './actor.js';
import { commitToBranch, identity } from './commitToBranch.js';
import { crashPoint, stamp, type OpContext, type SiteRef } from './context.js';
import { resolveRef } from './resolveRef.js';
import { toVersion, type DocAddr } from './toVersion.js';

export const PUBLISHED = 'published';

/**
 * `publisher` is who publishes (the commit's author on `published`); not the version's author,
 * who wrote the content. Without one it is the calling API key (through the gateway), else verso.
 */
export async function publish({ ctx, site, doc, ref = 'draft', publisher }: { ctx: OpContext; site: SiteRef; doc: DocAddr; ref?: VersionRef; publisher?: Author }): Promise<Version> {
  const row = await ctx.knex.transaction(async (trx) => {
    const document = await lockExisting(trx, site, doc);
    const version = await resolveRef(trx, site.id, document.id, ref);
    return publishLocked(ctx, trx, site, doc, document, version, publisher);
  });
  crashPoint(ctx, 'after-index');
  return toVersion(site, doc, row);
}

export async function lockExisting(trx: Db, site: SiteRef, doc: DocAddr): Promise<DocumentRow> {
  const document = await lockDocument(trx, { site_id: site.id, ...doc });
  if (!document) throw new NotFoundError(`document ${doc.type}/${doc.key}/${doc.locale} does not exist on site ${site.slug}`, { site: site.slug, ...doc });
  return document;
}

/** Publishes `version` of a document whose row the caller has locked in `trx`. */
export async function publishLocked(ctx: OpContext, trx: Db, site: SiteRef, doc: DocAddr, document: DocumentRow, version: VersionRow, given?: Author): Promise<VersionRow> {
  const publisher = given ?? actorAuthor(ctx) ?? { name: 'verso' };
  const author = identity(publisher, ctx.clock.now());
  // The commit's own time (whole seconds), as syncPublished reads it back from Git.
  const publishedAt = new Date(author.timestamp * 1000);
  const { commit } = await commitToBranch({
    repo: ctx.repo(site.slug),
    branch: PUBLISHED,
    create: true,
    changes: [{ path: docPath(doc.type, doc.key, doc.locale, document.format), blob: version.blob_hash as Oid }],
    message: formatMessage(`Publish version ${version.number} of ${doc.type}/${doc.key}/${doc.locale}`, [
      { doc: `${doc.type}/${doc.key}/${doc.locale}`, action: 'publish', version: version.number },
    ]),
    author,
    beforeRefMove: () => crashPoint(ctx, 'after-commit'),
  });
  crashPoint(ctx, 'after-ref');
  const s = stamp(ctx);
  const before = await flagHolder(trx, site.id, document.id, 'is_current_published');
  await moveFlag(trx, site.id, document.id, 'is_current_published', version.id, { hlc_modified: s.hlc_modified });
  await setPublishedAt(trx, site.id, version.id, publishedAt, { hlc_modified: s.hlc_modified });
  await insertEvent(trx, {
    id: ctx.newId(),
    site_id: site.id,
    document_id: document.id,
    action: 'version.publish',
    version_number: version.number,
    commit_hash: commit,
    hlc: s.hlc_modified,
    node_id: ctx.nodeId,
    old_values: { publishedVersion: before ?? null },
    new_values: { publishedVersion: version.number },
    ...actorColumns(ctx),
  });
  return { ...version, is_current_published: true, published_at: publishedAt };
}
