/**
 * Index or sync through the running server when there is one (it holds the embedded
 * database; DESIGN.md "PGlite is one process"), else in this process with the store opened
 * directly. Shared by the post-* hooks and `verso sync`.
 */
import { callLocalServer } from '../lib/ops/localServer.js';
import { syncSite, type SyncResult } from '../lib/ops/sync.js';
import type { EmbeddedStore } from '../lib/types.js';

export interface Target {
  site: string;
  dataDir: string;
  databaseUrl?: string;
}

export type SyncOutcome = SyncResult & { site: string; indexed: number; via: 'server' | 'store' };

/** Indexes what Git has and the index lacks for one site; returns how many commits. */
export async function indexSite(t: Target): Promise<{ indexed: number; via: 'server' | 'store' }> {
  const remote = await callLocalServer<{ indexed: number }>({ dataDir: t.dataDir, path: `/git/${encodeURIComponent(t.site)}.git/verso/index` });
  if (remote) return { indexed: remote.indexed, via: 'server' };
  return withStore(t, async (store) => {
    const report = await store.reconcile({ site: t.site, repair: true });
    return { indexed: report.issues.filter((i) => i.kind === 'unindexed_commit').length, via: 'store' as const };
  });
}

export async function syncInto(t: Target & { from: string; branch?: string; fromBranch?: string; maxBytes?: number }): Promise<SyncOutcome> {
  const body = { from: t.from, branch: t.branch, fromBranch: t.fromBranch };
  const remote = await callLocalServer<SyncResult & { site: string; indexed: number }>({ dataDir: t.dataDir, path: `/git/${encodeURIComponent(t.site)}.git/verso/sync`, body });
  if (remote) return { ...remote, via: 'server' };
  return withStore(t, async (store) => ({ ...(await syncSite({ store, site: t.site, from: t.from, branch: t.branch, fromBranch: t.fromBranch, maxBytes: t.maxBytes })), via: 'store' as const }));
}

async function withStore<T>(t: Target, fn: (store: EmbeddedStore) => Promise<T>): Promise<T> {
  // Loaded only when no server answered: the database modules take a second to load.
  const { openStore } = await import('../lib/sdk/openStore.js');
  // No start-up reconcile of every site: the caller reconciles the one it names.
  const store = await openStore({ dataDir: t.dataDir, skipReconcile: true, ...(t.databaseUrl ? { databaseUrl: t.databaseUrl } : {}) });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
