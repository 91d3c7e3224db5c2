/**
 * push: writes one version's bytes at the document's mapped path in one commit on the remote
 * branch. The remote file must still be the one our last push or pull left there (or absent,
 * or already these bytes) unless `force`: a remote edit is never overwritten silently. The
 * mapping and the `integration.push` event are written only after the remote accepted the
 * commit, so a failed push (a wrong token, a refused branch) maps nothing.
 */
import { findCurrent } from '../../db/queries/versions.js';
import { findMapping, listCurrentBlobs, updateMappingRemote, upsertMapping } from '../../db/queries/integrations.js';
import { insertEvent } from '../../db/queries/events.js';
import type { DocumentRow, VersionRow } from '../../db/rows.js';
import { ConflictError, NotFoundError } from '../../errors/index.js';
import { checkPath, expandPath } from '../../integrations/index.js';
import { formatSourceMessage } from '../../trailers.js';
import type { Mapping, Oid, PushOptions } from '../../types.js';
import { stamp, type OpContext, type SiteRef } from '../context.js';
import { parseAuthor } from '../inputs.js';
import { requireDocument } from '../requireDocument.js';
import { resolveRef } from '../resolveRef.js';
import type { DocAddr } from '../toVersion.js';
import { loadIntegration } from './load.js';
import { toMapping } from './mappingStatus.js';
import { checkInput } from '../../schemas/check.js';
import { integrationInputs } from '../../schemas/integrationInputs.js';

export interface PushArgs {
  ctx: OpContext;
  site: SiteRef;
  doc: DocAddr;
  integration: string;
  opts?: PushOptions;
}

async function versionToPush(ctx: OpContext, site: SiteRef, document: DocumentRow, ref: PushOptions['ref']): Promise<VersionRow> {
  if (ref !== undefined) return resolveRef(ctx.knex, site.id, document.id, ref);
  const found = (await findCurrent(ctx.knex, site.id, document.id, 'is_current_published')) ?? (await findCurrent(ctx.knex, site.id, document.id, 'is_current_draft'));
  if (!found) throw new NotFoundError('the document has no published version and no current draft to push', {});
  return found;
}

/** A pull request's title: the document's own title when it has one. */
function titleOf(bytes: Uint8Array, format: DocumentRow['format'], fallback: string): string {
  const text = Buffer.from(bytes).toString('utf8');
  let title: unknown;
  if (format === 'json') {
    try {
      title = (JSON.parse(text) as { title?: unknown }).title;
    } catch {
      title = undefined;
    }
  } else title = /^#\s+(.+)$/m.exec(text)?.[1];
  return typeof title === 'string' && title.trim() ? title.trim().slice(0, 200) : fallback;
}

export async function push({ ctx, site, doc, integration, opts = {} }: PushArgs): Promise<Mapping> {
  const o = checkInput<PushOptions & { integration: string }>(integrationInputs.push, { ...opts, integration });
  const author = o.author === undefined ? undefined : parseAuthor(o.author);
  const { row, config, remote } = await loadIntegration(ctx, site, o.integration);
  const document = await requireDocument(ctx.knex, site, doc);
  const version = await versionToPush(ctx, site, document, o.ref);
  const path = checkPath(expandPath(config.pathTemplate, doc, document.format), 'path');
  const docName = `${doc.type}/${doc.key}/${doc.locale}`;
  const existing = await findMapping(ctx.knex, site.id, row.id, document.id);
  const bytes = await ctx.repo(site.slug).readBlob(version.blob_hash as Oid);
  const summary = o.message ?? version.message;
  const message = formatSourceMessage(summary, { doc: docName, version: version.number, commit: version.commit_hash });
  const branch = config.branch ?? (await remote.defaultBranch());
  const link = `${ctx.publicUrl.replace(/\/+$/, '')}/ui/sites/${site.slug}/docs/${doc.type}/${doc.key}/${doc.locale}`;
  const pullRequest = config.pullRequests
    ? { head: `verso/${docName}`, title: titleOf(bytes, document.format, docName), body: `Version ${version.number} of \`${docName}\` from verso.\n\n> ${summary.split('\n').join('\n> ')}\n\n${link}` }
    : undefined;
  let written;
  try {
    written = await remote.writeFile({
      branch,
      path,
      bytes,
      message,
      author: author ?? (version.author_email ? { name: version.author_name, email: version.author_email } : { name: version.author_name }),
      ...(o.force ? {} : { expectBlob: (existing?.synced_blob ?? null) as Oid | null, alsoAccept: version.blob_hash as Oid }),
      ...(pullRequest ? { pullRequest } : {}),
    });
  } catch (err) {
    if (err instanceof ConflictError && existing) {
      const seen = (err.data.remoteBlob as string | null | undefined) ?? null;
      await updateMappingRemote(ctx.knex, existing, { remote_blob: seen, remote_status: seen === null ? 'missing' : 'remote_changed', sync_status: 'conflict', sync_error: err.message, ...stamp(ctx) });
    }
    throw err;
  }
  const saved = await ctx.knex.transaction(async (trx) => {
    const s = stamp(ctx);
    const m = await upsertMapping(trx, { id: ctx.newId(), site_id: site.id, integration_id: row.id, document_id: document.id }, {
      external_repo: config.repository ?? config.url!,
      external_path: path,
      external_ref: written.branch,
      last_pushed_commit: version.commit_hash,
      last_external_commit: written.commit,
      last_synced_at: new Date(ctx.clock.now()),
      sync_status: 'synced',
      version_number: version.number,
      local_blob: version.blob_hash,
      synced_blob: written.blob,
      remote_blob: written.blob,
      remote_status: 'in_sync',
      pr_number: written.pullRequest?.number ?? existing?.pr_number ?? null,
      pr_url: written.pullRequest?.url ?? existing?.pr_url ?? null,
      ...s,
    });
    await insertEvent(trx, {
      id: ctx.newId(), site_id: site.id, document_id: document.id, action: 'integration.push', version_number: version.number, commit_hash: version.commit_hash,
      data: { integration: row.name, path, branch: written.branch, remoteCommit: written.commit, ...(written.pullRequest ? { pullRequest: written.pullRequest.number } : {}) },
      hlc: ctx.clock.tick(), node_id: ctx.nodeId,
    });
    return m;
  });
  const current = await listCurrentBlobs(ctx.knex, site.id, [document.id]);
  return toMapping({ ...saved, integration_name: row.name, ...doc }, current.get(document.id));
}
