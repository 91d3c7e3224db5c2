/**
 * State kept for the life of one repository handle. Everything here is per repository, never
 * module-global, so two stores (or two repos) can live in one process.
 */
import fs from 'node:fs';
import type { Oid } from '../types.js';
import type { CommitInfo } from './types.js';
import type { TreeEntry } from './treeFormat.js';
import { WeightedLru } from './lru.js';
import { DirSyncQueue } from './fsync.js';
import { PackReader } from './readPacked.js';
import { join } from 'node:path';
import type { RefCommitQueue } from './commitQueue.js';
import type { LockLog } from '../locks/takeover.js';

export interface RepoContext {
  /** The bare repository (its own git dir). */
  readonly gitdir: string;
  /** Passed to isomorphic-git. */
  readonly fs: typeof fs;
  /**
   * isomorphic-git's cache: it keeps parsed pack indexes and pack contents. Measured: a packed
   * blob read took 60 ms without it and 1.4 ms with it, so ONE object lives as long as the repo.
   */
  readonly cache: object;
  readonly lockTimeoutMs: number;
  readonly fsyncEnabled: boolean;
  /** Told about every stale lock removed (see lockFile.ts). */
  readonly log: LockLog | undefined;
  /** Parsed trees by oid; weight = entry count, so a 10k-entry directory tree costs 10k. */
  readonly trees: WeightedLru<Oid, readonly TreeEntry[]>;
  readonly commits: WeightedLru<Oid, CommitInfo>;
  readonly dirSync: DirSyncQueue;
  /** Encoded bytes of tree entries, so a big tree is re-serialised by copying (treeFormat.ts). */
  readonly entryBytes: WeakMap<TreeEntry, Buffer>;
  /** Group-commit queue per ref (see commitQueue.ts). */
  readonly refQueues: Map<string, RefCommitQueue>;
  /** Our reader of `objects/pack` (readPacked.ts), with its parsed indexes. */
  readonly packs: PackReader;
}

/** Caches keyed by content hash, which several repositories may share (see openSiteRepo). */
export interface SharedObjectCaches {
  trees: WeightedLru<Oid, readonly TreeEntry[]>;
  commits: WeightedLru<Oid, CommitInfo>;
}

export function createContext(args: {
  gitdir: string;
  cache?: object;
  lockTimeoutMs?: number;
  fsyncEnabled?: boolean;
  log?: LockLog;
  shared?: SharedObjectCaches;
}): RepoContext {
  const fsyncEnabled = args.fsyncEnabled ?? true;
  return {
    gitdir: args.gitdir,
    fs,
    cache: args.cache ?? {},
    lockTimeoutMs: args.lockTimeoutMs ?? 5000,
    fsyncEnabled,
    log: args.log,
    trees: args.shared?.trees ?? new WeightedLru(500_000),
    commits: args.shared?.commits ?? new WeightedLru(5_000),
    dirSync: new DirSyncQueue(fsyncEnabled),
    entryBytes: new WeakMap(),
    refQueues: new Map(),
    packs: new PackReader(join(args.gitdir, 'objects', 'pack')),
  };
}
