/** Records of the three-way merge (0.2): options, conflicts and what a merge did. Re-exported by lib/types.ts. */
import type { Author, Format, Version } from '../types.js';

/** `manual`: a conflict stops the merge until it is resolved; `lww`: the newer side's change wins. */
export type ConflictPolicy = 'manual' | 'lww';

export interface MergeResult {
  branch: string;
  /** The merge commit; absent when dryRun, or the target when there was nothing to merge. */
  commit?: string;
  fastForward: boolean;
  dryRun: boolean;
  /** One per document merged (kind 'merge'); none when dryRun. */
  versions: Version[];
  /** Unresolved conflicts; non-empty only with dryRun (otherwise the merge throws). */
  conflicts: MergeConflict[];
  /** Every document the merge touches, how, and (dryRun only) its would-be content. */
  documents: MergeDocument[];
}

export interface MergeConflict {
  /** 'type/key/locale' */
  doc: string;
  /** JSON Pointer (json), '#<heading>' (markdown section), 'lines a-b' (text), '' (whole document). */
  path: string;
  base?: unknown;
  /** The `into` side. */
  ours?: unknown;
  /** The `source` side. */
  theirs?: unknown;
}

export interface MergeResolution {
  doc: string;
  path: string;
  take?: 'ours' | 'theirs' | 'base';
  value?: unknown;
}

export interface MergeOptions {
  into?: string;
  message?: string;
  author?: Author;
  /** Default: the site's typePolicies[type] ?? conflictPolicy ?? 'manual'. */
  policy?: ConflictPolicy;
  resolutions?: MergeResolution[];
  dryRun?: boolean;
}

export interface MergeDocument {
  doc: string;
  format: Format;
  /** theirs: changed on the source only; merged: changed on both sides; archived: removed on the source. */
  status: 'theirs' | 'merged' | 'archived';
  policy: ConflictPolicy;
  /** Conflicts found in this document before resolutions and policy settled them. */
  conflicts: number;
  /** dryRun only: the content the document would have after the merge. */
  content?: unknown;
}
