/**
 * The store's per-site repository handles, bounded. A handle keeps isomorphic-git's pack cache
 * (parsed pack indexes and pack data, megabytes for a big site) and a group-commit queue per
 * ref; with thousands of sites kept forever they were an unbounded heap.
 *
 * Bound: MAX_OPEN_REPOS handles, least recently used dropped first; parsed trees and commits
 * live in ONE pair of caches for all sites (TREE_WEIGHT entries, COMMIT_COUNT commits).
 * Staleness: none. Trees and commits are content-addressed (an oid names the same bytes in any
 * repository), and a handle caches no ref values: refs are read from disk under their lock. A
 * dropped handle still in use by an operation finishes with it; the next caller gets a fresh
 * one, and the two exclude each other through git's lock files as two processes would.
 */
import { join } from 'node:path';
import { openSiteRepo, type SiteRepo } from '../objects/index.js';
import { WeightedLru } from '../objects/lru.js';
import type { LockLog } from '../locks/takeover.js';
import type { SharedObjectCaches } from '../objects/context.js';

export const MAX_OPEN_REPOS = 64;
const TREE_WEIGHT = 500_000;
const COMMIT_COUNT = 5_000;

export interface RepoCache {
  repo(slug: string): SiteRepo;
  /** Handles open now (at most the bound). */
  readonly size: number;
}

export function createRepoCache(args: { dataDir: string; log?: LockLog; max?: number }): RepoCache {
  const handles = new WeightedLru<string, SiteRepo>(args.max ?? MAX_OPEN_REPOS);
  const caches: SharedObjectCaches = { trees: new WeightedLru(TREE_WEIGHT), commits: new WeightedLru(COMMIT_COUNT) };
  return {
    repo(slug) {
      let r = handles.get(slug);
      if (!r) {
        r = openSiteRepo({ dir: join(args.dataDir, 'repos', `${slug}.git`), shared: caches, ...(args.log ? { log: args.log } : {}) });
        handles.set(slug, r);
      }
      return r;
    },
    get size() {
      return handles.size;
    },
  };
}
