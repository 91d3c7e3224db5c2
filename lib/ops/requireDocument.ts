import type { Db } from '../db/connection.js';
import { findDocument } from '../db/queries/documents.js';
import type { DocumentRow } from '../db/rows.js';
import { NotFoundError } from '../errors/index.js';
import type { SiteRef } from './context.js';
import type { DocAddr } from './toVersion.js';

export async function requireDocument(db: Db, site: SiteRef, doc: DocAddr): Promise<DocumentRow> {
  const row = await findDocument(db, { site_id: site.id, ...doc });
  if (!row) throw new NotFoundError(`document ${doc.type}/${doc.key}/${doc.locale} does not exist on site ${site.slug}`, { site: site.slug, ...doc });
  return row;
}
