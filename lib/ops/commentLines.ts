/**
 * What a comment was written on, for anchors and staleness: a version's stored bytes split into
 * lines (canonical JSON is two-space indented, so JSON lines are stable and readable). A comment
 * is stale when the lines it is anchored to — or, unanchored, the whole content — differ in the
 * version asked about. Blob ids are content hashes, so equal ids mean equal bytes.
 */
import type { VersionRow } from '../db/rows.js';
import type { Oid } from '../types.js';
import type { OpContext, SiteRef } from './context.js';

export interface VersionText {
  blob: string;
  lines: string[];
}

export async function versionText(ctx: OpContext, site: SiteRef, row: Pick<VersionRow, 'blob_hash'>): Promise<VersionText> {
  const text = Buffer.from(await ctx.repo(site.slug).readBlob(row.blob_hash as Oid)).toString('utf8');
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop(); // the final newline ends a line, it does not start one
  return { blob: row.blob_hash, lines };
}

export function isStale(anchor: { startLine: number; endLine: number } | undefined, written: VersionText, asked: VersionText): boolean {
  if (written.blob === asked.blob) return false;
  if (!anchor) return true;
  if (anchor.endLine > asked.lines.length) return true;
  for (let i = anchor.startLine - 1; i < anchor.endLine; i++) if (written.lines[i] !== asked.lines[i]) return true;
  return false;
}
