/**
 * What a merge of `source` into `into` would write, computed without writing: for each document
 * the source changed since the merge base, either its new content as it is (the target did not
 * touch it), or the three-way merge of the two sides by the format's driver (lib/merge), with
 * each conflict settled by a resolution, else by the policy (lww: the side whose last version of
 * that document is newer — version numbers are per document across branches, so the higher
 * number is the later change), else left unresolved.
 */
import { decodeContent, encodeContent } from '../content.js';
import { findDocument } from '../db/queries/documents.js';
import { findLatestOnBranch } from '../db/queries/versions.js';
import { TooLargeError, ValidationError } from '../errors/index.js';
import { parseDocPath } from '../ids.js';
import { mergeContent, type DriverConflict, type Resolver, type Settlement } from '../merge/index.js';
import type { ChangedPath, SiteRepo } from '../objects/index.js';
import type { ConflictPolicy, Format, MergeConflict, MergeDocument, MergeResolution, Oid } from '../types.js';
import type { OpContext, SiteRef } from './context.js';

export interface PlannedChange {
  path: string;
  /** undefined: the document is removed (archived) on the target. */
  after?: Oid;
}

export interface MergePlan {
  changes: PlannedChange[];
  /** Contents of merged blobs, stored with the merge commit. */
  blobs: Uint8Array[];
  documents: MergeDocument[];
  unresolved: MergeConflict[];
}

export interface PlanArgs {
  ctx: OpContext;
  site: SiteRef;
  repo: SiteRepo;
  from: string;
  into: string;
  ours: ChangedPath[];
  theirs: ChangedPath[];
  policy?: ConflictPolicy;
  resolutions: MergeResolution[];
  /** Put each document's would-be content in the result (dry runs). */
  withContent: boolean;
}

const docName = (a: { type: string; key: string; locale: string }) => `${a.type}/${a.key}/${a.locale}`;

async function read(repo: SiteRepo, blob: Oid | undefined, format: Format): Promise<unknown> {
  return blob === undefined ? undefined : decodeContent(await repo.readBlob(blob), format);
}

/** lww's winner for one document: the side whose latest version has the higher number. */
async function newerSide(ctx: OpContext, site: SiteRef, addr: { type: string; key: string; locale: string }, into: string, from: string): Promise<'ours' | 'theirs'> {
  const document = await findDocument(ctx.knex, { site_id: site.id, ...addr });
  if (!document) return 'theirs';
  const [o, t] = await Promise.all([findLatestOnBranch(ctx.knex, site.id, document.id, into), findLatestOnBranch(ctx.knex, site.id, document.id, from)]);
  return (t?.number ?? 0) >= (o?.number ?? 0) ? 'theirs' : 'ours';
}

export async function planMerge(a: PlanArgs): Promise<MergePlan> {
  const oursByPath = new Map(a.ours.map((c) => [c.path, c]));
  const byKey = new Map(a.resolutions.map((r) => [`${r.doc}\n${r.path}`, r]));
  const used = new Set<string>();
  const plan: MergePlan = { changes: [], blobs: [], documents: [], unresolved: [] };

  for (const change of a.theirs) {
    const ourChange = oursByPath.get(change.path);
    const addr = parseDocPath(change.path);
    if (ourChange && ourChange.after === change.after) continue;
    if (!ourChange || !addr) {
      // Changed on the source only (or not a document: push validation keeps those out).
      plan.changes.push({ path: change.path, after: change.after });
      if (addr) {
        const content = a.withContent && change.after ? await read(a.repo, change.after, addr.format) : undefined;
        plan.documents.push({ doc: docName(addr), format: addr.format, status: change.after ? 'theirs' : 'archived', policy: a.policy ?? policyOf(a.site, addr.type), conflicts: 0, ...(content !== undefined ? { content } : {}) });
      }
      continue;
    }

    const doc = docName(addr);
    const policy = a.policy ?? policyOf(a.site, addr.type);
    const [base, ours, theirs] = await Promise.all([read(a.repo, change.before, addr.format), read(a.repo, ourChange.after, addr.format), read(a.repo, change.after, addr.format)]);
    const winner = policy === 'lww' ? await newerSide(a.ctx, a.site, addr, a.into, a.from) : undefined;
    let found = 0;
    const resolve: Resolver = (c: DriverConflict): Settlement | undefined => {
      found++;
      const key = `${doc}\n${c.path}`;
      const r = byKey.get(key);
      if (r) {
        used.add(key);
        if (r.take) return { take: r.take };
        if (addr.format !== 'json' && typeof r.value !== 'string') {
          throw new ValidationError(`the resolution of ${doc} ${c.path} must be a string (the document is ${addr.format})`, { field: 'resolutions', doc, path: c.path });
        }
        return { value: r.value };
      }
      return winner ? { take: winner } : undefined;
    };

    let value: unknown;
    let conflicts: DriverConflict[];
    if (ours !== undefined && theirs !== undefined) {
      ({ value, conflicts } = mergeContent(addr.format, { base, ours, theirs, resolve }));
    } else {
      // Removed on one side, changed on the other: the whole document is the conflict.
      const c: DriverConflict = { path: '', base, ours, theirs };
      const s = resolve(c);
      conflicts = s ? [] : [c];
      value = s === undefined ? ours : 'take' in s ? c[s.take] : s.value;
    }
    plan.unresolved.push(...conflicts.map((c) => ({ doc, ...c })));

    let after: Oid | undefined;
    if (value !== undefined) {
      const bytes = encodeContent(value, addr.format);
      if (bytes.byteLength > a.ctx.maxBytes) throw new TooLargeError(`the merged ${doc} is ${bytes.byteLength} bytes; the limit is ${a.ctx.maxBytes}`, { doc, limit: a.ctx.maxBytes, size: bytes.byteLength });
      after = a.repo.hashBlob(bytes);
      if (after !== ourChange.after) plan.blobs.push(bytes);
    }
    plan.documents.push({ doc, format: addr.format, status: value === undefined ? 'archived' : 'merged', policy, conflicts: found, ...(a.withContent && value !== undefined ? { content: value } : {}) });
    if (after !== ourChange.after) plan.changes.push({ path: change.path, after });
  }

  const stale = a.resolutions.filter((r) => !used.has(`${r.doc}\n${r.path}`));
  if (stale.length) {
    throw new ValidationError(`${stale.length} resolution(s) match no conflict: ${stale.map((r) => `${r.doc} ${r.path}`).join(', ')}`, { field: 'resolutions', unmatched: stale.map((r) => ({ doc: r.doc, path: r.path })) });
  }
  return plan;
}

function policyOf(site: SiteRef, type: string): ConflictPolicy {
  return site.typePolicies[type] ?? site.conflictPolicy ?? 'manual';
}
