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
  /** Resolves when no handle (open or dropped) has background maintenance running. */
  idle(): Promise<void>;
}

export function createRepoCache(args: { dataDir: string; log?: LockLog; max?: number }): RepoCache {
  const max = args.max ?? MAX_OPEN_REPOS;
  // Map order is recency order: a hit is moved to the end, the first entry is the oldest.
  const handles = new Map<string, SiteRepo>();
  // Dropped handles whose background pack is still running: close() must wait for them too.
  const retired = new Set<SiteRepo>();
  const caches: SharedObjectCaches = { trees: new WeightedLru(TREE_WEIGHT), commits: new WeightedLru(COMMIT_COUNT) };
  return {
    repo(slug) {
      let r = handles.get(slug);
      if (r) {
        handles.delete(slug);
        handles.set(slug, r);
        return r;
      }
      r = openSiteRepo({ dir: join(args.dataDir, 'repos', `${slug}.git`), shared: caches, ...(args.log ? { log: args.log } : {}) });
      handles.set(slug, r);
      for (const [oldest, h] of handles) {
        if (handles.size <= max) break;
        handles.delete(oldest);
        retired.add(h);
        void h.maintenanceIdle().finally(() => retired.delete(h));
      }
      return r;
    },
    get size() {
      return handles.size;
    },
    idle: async () => {
      await Promise.all([...handles.values(), ...retired].map((h) => h.maintenanceIdle()));
    },
  };
}
