/**
 * Resolves a VersionRef — a version number, a commit hash (7+ hex), 'draft', 'published', a
 * branch name, `tag:<semver>` or `label:<name>` — to one version row of a document.
 */
import type { Db } from '../db/connection.js';
import { findByCommitPrefix, findCurrent, findLatestOnBranch, findVersionByNumber } from '../db/queries/versions.js';
import type { VersionRow } from '../db/rows.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { isShortHash, parseBranch, parseSemver, parseSlug } from '../ids.js';
import { findCurrentLabel } from '../db/queries/labels.js';
import { findTag } from '../db/queries/tags.js';
import type { VersionRef } from '../types.js';

export async function resolveRef(db: Db, siteId: string, documentId: string, ref: VersionRef, label = 'ref'): Promise<VersionRow> {
  const found = await findRef(db, siteId, documentId, ref, label);
  if (!found) throw new NotFoundError(`no version ${JSON.stringify(ref)} of this document`, { ref });
  return found;
}

async function findRef(db: Db, siteId: string, documentId: string, ref: VersionRef, label: string): Promise<VersionRow | undefined> {
  if (typeof ref === 'number') {
    if (!Number.isSafeInteger(ref) || ref < 1) throw new ValidationError(`${label} must be a positive version number`, { field: label });
    return findVersionByNumber(db, siteId, documentId, ref);
  }
  if (typeof ref === 'string' && /^[1-9][0-9]{0,9}$/.test(ref)) {
    // A commit hash can be all digits (3 % of 7-character prefixes): a run of 7+ digits that
    // numbers no version of the document is read as a commit prefix.
    const row = await findVersionByNumber(db, siteId, documentId, Number(ref));
    if (row || !isShortHash(ref)) return row;
  }
  if (typeof ref !== 'string' || !ref) throw new ValidationError(`${label} must be a version number, a commit hash, 'draft', 'published', a branch, tag:<semver> or label:<name>`, { field: label });
  if (ref === 'draft') return findCurrent(db, siteId, documentId, 'is_current_draft');
  if (ref === 'published') return findCurrent(db, siteId, documentId, 'is_current_published');
  if (ref.startsWith('tag:')) {
    const t = await findTag(db, siteId, documentId, parseSemver(ref.slice(4).replace(/^v(?=[0-9])/, '')));
    return t && findVersionByNumber(db, siteId, documentId, t.version_number);
  }
  if (ref.startsWith('label:')) {
    const l = await findCurrentLabel(db, siteId, documentId, parseSlug(ref.slice(6), label));
    return l && findVersionByNumber(db, siteId, documentId, l.to_version!);
  }
  if (isShortHash(ref)) {
    const rows = await findByCommitPrefix(db, siteId, documentId, ref);
    if (rows.length > 1) throw new ValidationError(`commit prefix ${ref} is ambiguous; give more characters`, { field: label });
    if (rows[0]) return rows[0];
  }
  return findLatestOnBranch(db, siteId, documentId, parseBranch(ref, label));
}
