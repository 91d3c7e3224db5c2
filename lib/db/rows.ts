/** Row shapes of the index tables, as knex returns them (snake_case). */
export interface SiteRow {
  id: string;
  slug: string;
  name: string;
  default_locale: string;
  conflict_policy: 'manual' | 'lww';
  type_policies: Record<string, 'manual' | 'lww'>;
  created_at: Date | string;
}

export interface DocumentRow {
  id: string;
  site_id: string;
  type: string;
  key: string;
  locale: string;
  format: 'json' | 'markdown' | 'text';
  latest_number: number;
  archived_at: Date | string | null;
  updated_at: Date | string;
}

export interface VersionRow {
  id: string;
  site_id: string;
  document_id: string;
  number: number;
  branch: string;
  kind: string;
  source: string;
  commit_hash: string;
  blob_hash: string;
  author_name: string;
  author_email: string | null;
  message: string;
  metadata: Record<string, unknown> | string;
  idempotency_key: string | null;
  is_current_draft: boolean;
  is_current_published: boolean;
  created_at: Date | string;
  /** Derived from the `published` branch (syncPublished.ts); null when never published. */
  published_at: Date | string | null;
}

export interface EventRow {
  id: string;
  site_id: string | null;
  document_id: string | null;
  action: string;
  version_number: number | null;
  commit_hash: string | null;
  data: Record<string, unknown> | string;
  hlc: number | bigint;
  node_id: string;
  created_at: Date | string;
  user_id: string | null;
  actor_name: string | null;
  old_values: Record<string, unknown> | string | null;
  new_values: Record<string, unknown> | string | null;
  consumed_at: Date | string | null;
}

export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function json(value: Record<string, unknown> | string): Record<string, unknown> {
  return typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : value;
}
