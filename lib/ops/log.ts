/** log: a document's versions, newest first, in cursor pages (keyset on the version number). */
import { listVersionRows } from '../db/queries/versions.js';
import { parseBranch } from '../ids.js';
import type { LogOptions, Page, Version } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { decodeCursor, encodeCursor, parseEnum, parseLimit } from './inputs.js';
import { requireDocument } from './requireDocument.js';
import { toVersion, type DocAddr } from './toVersion.js';

const KINDS = ['draft', 'autosave', 'rollback', 'merge'] as const;
const isBefore = (v: unknown): v is { before: number } =>
  typeof v === 'object' && v !== null && Number.isInteger((v as { before?: unknown }).before);

export async function log({ ctx, site, doc, opts = {} }: { ctx: OpContext; site: SiteRef; doc: DocAddr; opts?: LogOptions }): Promise<Page<Version>> {
  const limit = parseLimit(opts.limit);
  const cursor = decodeCursor(opts.cursor, isBefore);
  const branch = opts.branch === undefined ? undefined : parseBranch(opts.branch);
  const kind = opts.kind === undefined ? undefined : parseEnum(opts.kind, KINDS, 'kind', 'draft');
  const rows = await listVersionRows(ctx.knex, { siteId: site.id, doc, branch, kind, limit: limit + 1, before: cursor?.before });
  // An empty page is also what a missing document gives: only then ask which it is (404).
  if (rows.length === 0) await requireDocument(ctx.knex, site, doc);
  const items = rows.slice(0, limit).map((r) => toVersion(site, doc, r));
  const last = items[items.length - 1];
  return rows.length > limit && last ? { items, next: encodeCursor({ before: last.number }) } : { items };
}
