/** The SiteRepo over one bare repository: binds the per-repository context to each operation. */
import { resolve } from 'node:path';
import type { Oid } from '../types.js';
import { casRef } from './casRef.js';
import { clearStaleLocks } from './clearStaleLocks.js';
import { RefCommitQueue } from './commitQueue.js';
import { createContext } from './context.js';
import { expandOid } from './expandOid.js';
import { hashObject } from './gitObject.js';
import { init } from './init.js';
import { createMaintenance, type MaintenanceOptions } from './maintenance.js';
import { isAncestor, mergeBase } from './mergeBase.js';
import { pack } from './pack.js';
import { copyCommit, readBlob, readCommitShared } from './readObject.js';
import { changedPaths, listFiles, readPath } from './readTrees.js';
import { assertRefName, listRefs, readRef } from './refs.js';
import type { SiteRepo } from './types.js';
import type { LockLog } from '../locks/takeover.js';
import type { SharedObjectCaches } from './context.js';
import { walk } from './walk.js';
import { writeCommit } from './writeCommit.js';
import { writeObject } from './writeObject.js';
import { readTag } from './readTag.js';
import { writeTag } from './writeTag.js';

export interface OpenSiteRepoArgs {
  /** The bare repository, `<dataDir>/repos/<siteId>.git`. */
  dir: string;
  /**
   * isomorphic-git's cache object. Keep one per repository for the life of the store: a packed
   * blob read took 60 ms without it and 1.4 ms with it. Created when omitted.
   */
  cache?: object;
  /** How long casRef waits for another writer's `<ref>.lock` before `ref_locked`. Default 5000. */
  lockTimeoutMs?: number;
  /** Default true. false skips every fsync: for benchmarks only, a crash can then lose saves. */
  fsyncEnabled?: boolean;
  /** Told about every stale ref lock removed (the store passes its logger). */
  log?: LockLog;
  /**
   * Parsed-tree and commit caches shared with other repositories (safe: both are keyed by
   * content hash), so one bound covers every site. Per repository when omitted.
   */
  shared?: SharedObjectCaches;
  /** Automatic packing (maintenance.ts); default on, a check every 100 commits. */
  maintenance?: MaintenanceOptions;
}

/**
 * Opens (does not create; see `init`) the Git object store of one site.
 *
 * @example
 * const repo = openSiteRepo({ dir: '/data/repos/acme.git' });
 * await repo.init();
 * const blob = await repo.writeBlob(new TextEncoder().encode('# Hello\n'));
 * const head = await repo.readRef('refs/heads/main');
 * const commit = await repo.writeCommit({
 *   parents: head ? [head] : [],
 *   baseTree: head ? (await repo.readCommit(head)).tree : undefined,
 *   changes: [{ path: 'post/hello/en.md', blob }],
 *   author: { name: 'Ada', email: 'ada@example.com', timestamp: 1700000000, timezoneOffset: 0 },
 *   message: 'Say hello',
 * });
 * const { ok } = await repo.casRef('refs/heads/main', head, commit); // retry from readRef when !ok
 */
export function openSiteRepo(args: OpenSiteRepoArgs): SiteRepo {
  const ctx = createContext({ ...args, gitdir: resolve(args.dir) });
  const maintenance = createMaintenance(ctx, args.maintenance);
  return {
    dir: ctx.gitdir,
    init: () => init(ctx),
    writeBlob: (content) => writeObject(ctx, 'blob', content),
    hashBlob: (content) => hashObject('blob', content),
    readBlob: (oid) => readBlob(ctx, oid),
    writeCommit: (a) => writeCommit(ctx, a),
    commitOnRef: async (a) => {
      assertRefName(a.ref);
      let q = ctx.refQueues.get(a.ref);
      if (!q) ctx.refQueues.set(a.ref, (q = new RefCommitQueue(ctx, a.ref)));
      const result = await q.submit(a);
      maintenance.noteCommit();
      return result;
    },
    readCommit: async (oid) => copyCommit(await readCommitShared(ctx, oid)),
    readPath: (commit, path) => readPath(ctx, commit, path),
    listFiles: (commit) => listFiles(ctx, commit),
    changedPaths: (before, after) => changedPaths(ctx, before, after),
    walk: (from, opts) => walk(ctx, from, opts),
    expandOid: (prefix) => expandOid(ctx, prefix),
    isAncestor: (ancestor: Oid, descendant: Oid) => isAncestor(ctx, ancestor, descendant),
    mergeBase: (a, b) => mergeBase(ctx, a, b),
    readRef: (ref) => readRef(ctx, ref),
    listRefs: (prefix) => listRefs(ctx, prefix),
    casRef: (ref, expected, next) => casRef(ctx, ref, expected, next),
    writeTag: (a) => writeTag(ctx, a),
    readTag: (oid) => readTag(ctx, oid),
    pack: () => pack(ctx),
    maintenanceIdle: () => maintenance.idle(),
    clearStaleLocks: (olderThanMs) => clearStaleLocks(ctx, olderThanMs),
  };
}
