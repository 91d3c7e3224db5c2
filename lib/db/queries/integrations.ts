/** Integrations and their document mappings (owned rows: not rebuilt from Git). */
import type { Db } from '../connection.js';

export interface IntegrationRow {
  id: string;
  site_id: string;
  kind: 'github' | 'git';
  name: string;
  config: Record<string, unknown> | string;
  secret_encrypted: Buffer | Uint8Array | null;
  active: boolean;
  created_at: Date | string;
}

export interface MappingRow {
  id: string;
  site_id: string;
  integration_id: string;
  document_id: string;
  external_repo: string;
  external_path: string;
  external_ref: string;
  /** The verso commit of the version last pushed or pulled. */
  last_pushed_commit: string | null;
  /** The remote commit our last push made, or our last pull read. */
  last_external_commit: string | null;
  last_synced_at: Date | string | null;
  sync_status: 'pending' | 'synced' | 'conflict' | 'error';
  sync_error: string | null;
  version_number: number;
  local_blob: string;
  synced_blob: string;
  remote_blob: string | null;
  remote_status: 'in_sync' | 'remote_changed' | 'missing';
  pr_number: number | null;
  pr_url: string | null;
}

/** A mapping with its document's address, for lists. */
export type MappingWithDoc = MappingRow & { integration_name: string; type: string; key: string; locale: string };

type Stamp = { node_id: string; hlc_modified: bigint };

export async function insertIntegration(db: Db, row: Omit<IntegrationRow, 'created_at' | 'active' | 'config'> & { config: string } & Stamp): Promise<IntegrationRow> {
  const [created] = (await db('integrations').insert(row).returning('*')) as IntegrationRow[];
  return created!;
}

export async function findIntegration(db: Db, siteId: string, name: string): Promise<IntegrationRow | undefined> {
  return (await db('integrations').where({ site_id: siteId, name }).first()) as IntegrationRow | undefined;
}

export async function listIntegrationRows(db: Db, siteId: string): Promise<IntegrationRow[]> {
  return (await db('integrations').where({ site_id: siteId }).orderBy('name')) as IntegrationRow[];
}

export async function deleteIntegrationRow(db: Db, siteId: string, name: string): Promise<number> {
  return db('integrations').where({ site_id: siteId, name }).delete();
}

/** GitHub integrations of every site that push to `repository` ('owner/name'). */
export async function findGithubIntegrationsByRepository(db: Db, repository: string): Promise<IntegrationRow[]> {
  return (await db('integrations').where({ kind: 'github' }).whereRaw(`config->>'repository' = ?`, [repository])) as IntegrationRow[];
}

export async function findMapping(db: Db, siteId: string, integrationId: string, documentId: string): Promise<MappingRow | undefined> {
  return (await db('integration_mappings').where({ site_id: siteId, integration_id: integrationId, document_id: documentId }).first()) as MappingRow | undefined;
}

const withDoc = (db: Db) =>
  db('integration_mappings as m')
    .join('documents as d', function () {
      this.on('d.id', 'm.document_id').andOn('d.site_id', 'm.site_id');
    })
    .join('integrations as i', function () {
      this.on('i.id', 'm.integration_id').andOn('i.site_id', 'm.site_id');
    })
    .select('m.*', 'd.type', 'd.key', 'd.locale', 'i.name as integration_name');

export async function listMappingsOfDocument(db: Db, siteId: string, documentId: string): Promise<MappingWithDoc[]> {
  return (await withDoc(db).where({ 'm.site_id': siteId, 'm.document_id': documentId }).orderBy('i.name')) as MappingWithDoc[];
}

export async function listMappingsOfIntegration(db: Db, siteId: string, integrationId: string): Promise<MappingWithDoc[]> {
  return (await withDoc(db).where({ 'm.site_id': siteId, 'm.integration_id': integrationId }).orderBy('m.external_path')) as MappingWithDoc[];
}

export type MappingWrite = Omit<MappingRow, 'id' | 'site_id' | 'integration_id' | 'document_id' | 'sync_error'>;

/** Inserts or replaces the mapping of (integration, document); returns it. */
export async function upsertMapping(db: Db, key: { id: string; site_id: string; integration_id: string; document_id: string }, w: MappingWrite & Stamp): Promise<MappingRow> {
  const [row] = (await db('integration_mappings')
    .insert({ ...key, ...w, sync_error: null })
    .onConflict(['site_id', 'integration_id', 'document_id'])
    .merge({ ...w, sync_error: null })
    .returning('*')) as MappingRow[];
  return row!;
}

export async function updateMappingRemote(db: Db, key: Pick<MappingRow, 'site_id' | 'id'>, w: { remote_blob: string | null; remote_status: MappingRow['remote_status'] } & Partial<Pick<MappingRow, 'sync_status' | 'sync_error'>> & Stamp): Promise<void> {
  await db('integration_mappings').where({ site_id: key.site_id, id: key.id }).update(w);
}

/** Marks the mappings of an integration whose branch and path a remote push touched. */
export async function markMappingsChanged(db: Db, a: { siteId: string; integrationId: string; branch: string; paths: string[]; status: 'remote_changed' | 'missing' } & Stamp): Promise<number> {
  if (a.paths.length === 0) return 0;
  return db('integration_mappings')
    .where({ site_id: a.siteId, integration_id: a.integrationId, external_ref: a.branch })
    .whereIn('external_path', a.paths)
    .update({ remote_status: a.status, node_id: a.node_id, hlc_modified: a.hlc_modified });
}

export interface CurrentBlobs {
  document_id: string;
  draft_number: number | null;
  draft_blob: string | null;
  published_number: number | null;
  published_blob: string | null;
}

/** The current draft and published version of each document, in one statement. */
export async function listCurrentBlobs(db: Db, siteId: string, documentIds: string[]): Promise<Map<string, CurrentBlobs>> {
  const out = new Map<string, CurrentBlobs>();
  if (documentIds.length === 0) return out;
  const rows = (await db('content_versions')
    .where({ site_id: siteId })
    .whereIn('document_id', documentIds)
    .where((q) => q.where('is_current_draft', true).orWhere('is_current_published', true))
    .select('document_id', 'number', 'blob_hash', 'is_current_draft', 'is_current_published')) as Array<{ document_id: string; number: number; blob_hash: string; is_current_draft: boolean; is_current_published: boolean }>;
  for (const r of rows) {
    const c = out.get(r.document_id) ?? { document_id: r.document_id, draft_number: null, draft_blob: null, published_number: null, published_blob: null };
    if (r.is_current_draft) Object.assign(c, { draft_number: r.number, draft_blob: r.blob_hash });
    if (r.is_current_published) Object.assign(c, { published_number: r.number, published_blob: r.blob_hash });
    out.set(r.document_id, c);
  }
  return out;
}

export async function updateIntegrationRow(db: Db, key: Pick<IntegrationRow, 'site_id' | 'id'>, w: { config: string; secret_encrypted: Buffer | null } & Stamp): Promise<IntegrationRow> {
  const [row] = (await db('integrations').where({ site_id: key.site_id, id: key.id }).update(w).returning('*')) as IntegrationRow[];
  return row!;
}
