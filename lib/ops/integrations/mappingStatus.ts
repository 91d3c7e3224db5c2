/**
 * A mapping's status from both sides. The remote side is what push, pull, check or a webhook
 * last saw (stored); the local side is read now: the document moved if its current draft or
 * published version is newer than the mapped one and holds other bytes (blob ids are content
 * hashes, so a rollback to the pushed content is not "ahead").
 */
import type { CurrentBlobs, MappingRow, MappingWithDoc } from '../../db/queries/integrations.js';
import { iso } from '../../db/rows.js';
import type { Mapping, MappingStatus } from '../../types.js';

export function localMoved(m: Pick<MappingRow, 'version_number' | 'local_blob'>, c: CurrentBlobs | undefined): boolean {
  if (!c) return false;
  const moved = (n: number | null, blob: string | null) => n !== null && n > m.version_number && blob !== m.local_blob;
  return moved(c.draft_number, c.draft_blob) || moved(c.published_number, c.published_blob);
}

export function remoteMoved(m: MappingWithDoc): boolean {
  return m.remote_status === 'remote_changed' || (m.remote_blob !== null && m.remote_blob !== m.synced_blob);
}

export function statusOf(m: MappingWithDoc, c: CurrentBlobs | undefined): MappingStatus {
  if (m.remote_status === 'missing') return 'missing';
  const local = localMoved(m, c);
  const remote = remoteMoved(m);
  return local && remote ? 'diverged' : remote ? 'remote_changed' : local ? 'local_ahead' : 'in_sync';
}

export function toMapping(m: MappingWithDoc, c: CurrentBlobs | undefined): Mapping {
  return {
    integration: m.integration_name,
    doc: `${m.type}/${m.key}/${m.locale}`,
    path: m.external_path,
    branch: m.external_ref,
    versionNumber: m.version_number,
    localCommit: m.last_pushed_commit ?? '',
    blob: m.local_blob,
    remoteCommit: m.last_external_commit ?? '',
    remoteBlob: m.remote_status === 'missing' ? '' : (m.remote_blob ?? m.synced_blob),
    pushedAt: m.last_synced_at ? iso(m.last_synced_at) : '',
    ...(m.pr_number && m.pr_url ? { pullRequest: { number: m.pr_number, url: m.pr_url } } : {}),
    status: statusOf(m, c),
  };
}
