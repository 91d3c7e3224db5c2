/**
 * checkIntegration: the drift report of every document mapped by an integration. The remote is
 * read once per branch (one tree read however many files), each mapped path's blob id compared
 * with the one our last push or pull left there, and the stored remote state updated; the local
 * side is compared with the documents' current versions in one query.
 */
import { listCurrentBlobs, listMappingsOfIntegration, updateMappingRemote, type MappingWithDoc } from '../../db/queries/integrations.js';
import type { CheckIntegrationOptions, Mapping } from '../../types.js';
import { stamp, type OpContext, type SiteRef } from '../context.js';
import { loadIntegration } from './load.js';
import { toMapping } from './mappingStatus.js';

export interface CheckIntegrationArgs {
  ctx: OpContext;
  site: SiteRef;
  name: string;
  opts?: CheckIntegrationOptions;
}

export async function checkIntegration({ ctx, site, name, opts }: CheckIntegrationArgs): Promise<Mapping[]> {
  const { row, config, remote } = await loadIntegration(ctx, site, name);
  const mappings = await listMappingsOfIntegration(ctx.knex, site.id, row.id);
  const byBranch = new Map<string, MappingWithDoc[]>();
  for (const m of mappings) byBranch.set(m.external_ref, [...(byBranch.get(m.external_ref) ?? []), m]);
  let done = 0;
  for (const [branch, group] of byBranch) {
    let snap = await remote.snapshot(branch, group.map((m) => m.external_path));
    // A pull request's branch is deleted once merged: the file then lives on the target branch.
    if (!snap.commit && config.pullRequests && config.branch && branch !== config.branch) snap = await remote.snapshot(config.branch, group.map((m) => m.external_path));
    for (const m of group) {
      const seen = snap.blobs.get(m.external_path) ?? null;
      m.remote_blob = seen;
      m.remote_status = seen === null ? 'missing' : seen === m.synced_blob ? 'in_sync' : 'remote_changed';
      await updateMappingRemote(ctx.knex, m, { remote_blob: seen, remote_status: m.remote_status, ...stamp(ctx) });
    }
    done += group.length;
    opts?.onProgress?.({ done, total: mappings.length });
  }
  const current = await listCurrentBlobs(ctx.knex, site.id, mappings.map((m) => m.document_id));
  return mappings.map((m) => toMapping(m, current.get(m.document_id)));
}
