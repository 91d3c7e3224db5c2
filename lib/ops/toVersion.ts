import { iso, json, type VersionRow } from '../db/rows.js';
import type { Version } from '../types.js';
import type { SiteRef } from './context.js';

export interface DocAddr {
  type: string;
  key: string;
  locale: string;
}

/** Maps an index row to the public Version record. */
export function toVersion(site: SiteRef, doc: DocAddr, row: VersionRow): Version {
  return {
    id: row.id,
    site: site.slug,
    type: doc.type,
    key: doc.key,
    locale: doc.locale,
    number: row.number,
    commit: row.commit_hash,
    blob: row.blob_hash,
    branch: row.branch,
    kind: row.kind,
    source: row.source,
    author: row.author_email ? { name: row.author_name, email: row.author_email } : { name: row.author_name },
    message: row.message,
    createdAt: iso(row.created_at),
    publishedAt: row.published_at ? iso(row.published_at) : null,
    isCurrentDraft: row.is_current_draft,
    isCurrentPublished: row.is_current_published,
    metadata: json(row.metadata),
  };
}
