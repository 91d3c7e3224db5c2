/**
 * tag: a semver label on a version, as an annotated Git tag
 * `refs/tags/<type>/<key>/<locale>/v<semver>` whose message is the changelog, plus an index row.
 */
import { insertEvent } from '../db/queries/events.js';
import { actorColumns } from './actor.js';
import { insertTag, listTagRows } from '../db/queries/tags.js';
import { iso } from '../db/rows.js';
import { parseAuthor } from './inputs.js';
import { ConflictError, ValidationError } from '../errors/index.js';
import { parseSemver } from '../ids.js';
import type { Author, Oid, Tag, VersionRef } from '../types.js';
import { identity } from './commitToBranch.js';
import { crashPoint, stamp, type OpContext, type SiteRef } from './context.js';
import { requireDocument } from './requireDocument.js';
import { LIMITS } from '../schemas/inputs.js';
import { checkText } from '../schemas/storable.js';
import { resolveRef } from './resolveRef.js';
import type { DocAddr } from './toVersion.js';

export async function tag({ ctx, site, doc, ref, name, opts = {} }: { ctx: OpContext; site: SiteRef; doc: DocAddr; ref: VersionRef; name: string; opts?: { message?: string; author?: Author | string } }): Promise<Tag> {
  const semver = parseSemver(name);
  // The tagger is the caller (the gateway passes its API key's name when the caller names nobody).
  const tagger = parseAuthor(opts.author);
  if (opts.message !== undefined && (typeof opts.message !== 'string' || opts.message.length > LIMITS.message)) {
    throw new ValidationError(`message must be at most ${LIMITS.message} characters`, { field: 'message' });
  }
  if (opts.message !== undefined) checkText(opts.message, 'message');
  const message = opts.message?.trim() || `Release ${semver}`;
  const document = await requireDocument(ctx.knex, site, doc);
  const version = await resolveRef(ctx.knex, site.id, document.id, ref);
  const tagName = `${doc.type}/${doc.key}/${doc.locale}/v${semver}`;
  const refName = `refs/tags/${tagName}`;
  const repo = ctx.repo(site.slug);
  const tagOid = await repo.writeTag({ object: version.commit_hash as Oid, tag: tagName, tagger: identity(tagger, ctx.clock.now()), message: message + '\n' });
  crashPoint(ctx, 'after-commit');
  const cas = await repo.casRef(refName, undefined, tagOid);
  if (!cas.ok) throw new ConflictError(`tag ${semver} already exists on this document`, { name: semver });
  crashPoint(ctx, 'after-ref');
  const s = stamp(ctx);
  await ctx.knex.transaction(async (trx) => {
    await insertTag(trx, { id: ctx.newId(), site_id: site.id, document_id: document.id, version_number: version.number, name: semver, commit_hash: version.commit_hash, tag_oid: tagOid, message, created_by: tagger.name, ...s });
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: document.id, action: 'tag.create', version_number: version.number, commit_hash: version.commit_hash, data: { name: semver }, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx, tagger) });
  });
  crashPoint(ctx, 'after-index');
  return { name: semver, ref: refName, commit: version.commit_hash, versionNumber: version.number, message, tagger, createdAt: new Date(ctx.clock.now()).toISOString() };
}

/** A document's semver tags, newest first. */
export async function listTags({ ctx, site, doc }: { ctx: OpContext; site: SiteRef; doc: DocAddr }): Promise<Tag[]> {
  const document = await requireDocument(ctx.knex, site, doc);
  return (await listTagRows(ctx.knex, site.id, document.id)).map((r) => ({
    name: r.name, ref: `refs/tags/${doc.type}/${doc.key}/${doc.locale}/v${r.name}`, commit: r.commit_hash, versionNumber: r.version_number,
    message: r.message, tagger: { name: r.created_by }, createdAt: iso(r.created_at),
  }));
}
