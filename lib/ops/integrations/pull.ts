/**
 * pull: records the remote file as a new version (source 'integration', author = the remote
 * commit's) when only the remote moved since our last push or pull. When the document moved
 * too, it is a ConflictError naming both sides (resolve by pushing with force, or by saving the
 * merged text and pushing). The content goes through `save` like any other write: same format,
 * size and JSON checks, same numbering, flags and events.
 */
import { findMapping, listCurrentBlobs, updateMappingRemote, upsertMapping, type MappingRow } from '../../db/queries/integrations.js';
import { insertEvent } from '../../db/queries/events.js';
import { findVersionByNumber } from '../../db/queries/versions.js';
import type { DocumentRow } from '../../db/rows.js';
import { encodeContent } from '../../content.js';
import { ConflictError, NotFoundError, TooLargeError, ValidationError } from '../../errors/index.js';
import type { Oid, PullOptions, Version } from '../../types.js';
import { stamp, type OpContext, type SiteRef } from '../context.js';
import { parseAuthor } from '../inputs.js';
import { requireDocument } from '../requireDocument.js';
import { save } from '../save.js';
import { toVersion, type DocAddr } from '../toVersion.js';
import { loadIntegration } from './load.js';
import { localMoved } from './mappingStatus.js';
import { checkInput } from '../../schemas/check.js';
import { integrationInputs } from '../../schemas/integrationInputs.js';

export interface PullArgs {
  ctx: OpContext;
  site: SiteRef;
  doc: DocAddr;
  integration: string;
  opts?: PullOptions;
}

function decode(bytes: Uint8Array, format: DocumentRow['format'], path: string): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError(`the remote file ${path} is not UTF-8 text`, { field: 'content', path });
  }
  if (format !== 'json') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ValidationError(`the remote file ${path} is not valid JSON: ${(err as Error).message}`, { field: 'content', path });
  }
}

export async function pull({ ctx, site, doc, integration, opts = {} }: PullArgs): Promise<Version> {
  const o = checkInput<PullOptions & { integration: string }>(integrationInputs.pull, { ...opts, integration });
  const author = o.author === undefined ? undefined : parseAuthor(o.author);
  const { row, config, remote } = await loadIntegration(ctx, site, o.integration);
  const document = await requireDocument(ctx.knex, site, doc);
  const mapping = await findMapping(ctx.knex, site.id, row.id, document.id);
  if (!mapping) throw new NotFoundError(`${doc.type}/${doc.key}/${doc.locale} is not mapped by integration ${row.name}; push it first`, { integration: row.name });
  const path = mapping.external_path;
  let file = await remote.readFile(mapping.external_ref, path);
  if (!file && config.pullRequests && config.branch && mapping.external_ref !== config.branch) file = await remote.readFile(config.branch, path);
  const mark = (w: Pick<MappingRow, 'remote_blob' | 'remote_status'>) => updateMappingRemote(ctx.knex, mapping, { ...w, ...stamp(ctx) });
  if (!file) {
    await mark({ remote_blob: null, remote_status: 'missing' });
    throw new NotFoundError(`${path} does not exist on the remote branch ${mapping.external_ref}`, { path, branch: mapping.external_ref });
  }
  if (file.bytes.byteLength > ctx.maxBytes) throw new TooLargeError(`the remote file is ${file.bytes.byteLength} bytes; the limit is ${ctx.maxBytes}`, { limit: ctx.maxBytes, size: file.bytes.byteLength });
  const current = (await listCurrentBlobs(ctx.knex, site.id, [document.id])).get(document.id);
  if (file.blob === mapping.synced_blob) {
    // Nothing new on the remote: the answer is the version the mapping names.
    await mark({ remote_blob: file.blob, remote_status: 'in_sync' });
    return toVersion(site, doc, (await findVersionByNumber(ctx.knex, site.id, document.id, mapping.version_number))!);
  }
  const content = decode(file.bytes, document.format, path);
  // Already recorded (a pull whose mapping update failed, or the same edit made on both sides).
  const pulledBlob = ctx.repo(site.slug).hashBlob(encodeContent(content, document.format));
  const already = current?.draft_blob === pulledBlob;
  if (!already && localMoved(mapping, current)) {
    await mark({ remote_blob: file.blob, remote_status: 'remote_changed' });
    throw new ConflictError(`both sides changed ${doc.type}/${doc.key}/${doc.locale} since the last push or pull: the document in verso and ${path} in the remote`, {
      path,
      local: { versionNumber: Math.max(current?.draft_number ?? 0, current?.published_number ?? 0), blob: current?.draft_blob ?? current?.published_blob, mappedVersion: mapping.version_number },
      remote: { commit: file.commit, blob: file.blob, syncedBlob: mapping.synced_blob },
    });
  }
  const version = already
    ? toVersion(site, doc, (await findVersionByNumber(ctx.knex, site.id, document.id, current!.draft_number!))!)
    : await save({
        ctx, site, doc, source: 'integration',
        input: {
          content, format: document.format,
          message: o.message ?? `Pull ${path} from ${row.name} (${file.commit.slice(0, 7)})`,
          author: author ?? file.author,
          metadata: { integration: row.name, remoteCommit: file.commit, remoteBlob: file.blob },
        },
      });
  await ctx.knex.transaction(async (trx) => {
    await upsertMapping(trx, { id: mapping.id, site_id: site.id, integration_id: row.id, document_id: document.id }, {
      external_repo: mapping.external_repo, external_path: path, external_ref: mapping.external_ref,
      last_pushed_commit: version.commit, last_external_commit: file.commit, last_synced_at: new Date(ctx.clock.now()), sync_status: 'synced',
      version_number: version.number, local_blob: version.blob, synced_blob: file.blob as Oid, remote_blob: file.blob, remote_status: 'in_sync',
      pr_number: mapping.pr_number, pr_url: mapping.pr_url, ...stamp(ctx),
    });
    await insertEvent(trx, {
      id: ctx.newId(), site_id: site.id, document_id: document.id, action: 'integration.pull', version_number: version.number, commit_hash: version.commit,
      data: { integration: row.name, path, branch: mapping.external_ref, remoteCommit: file.commit }, hlc: ctx.clock.tick(), node_id: ctx.nodeId,
    });
  });
  return version;
}
