/**
 * The search indexer: builds the vectors of pending search rows (a search row is written with
 * its version, its vector NULL: migration 20261202000002_search_pending) off the save's path.
 * A transaction that wrote search rows queues its site once it commits (afterCommit); one run
 * per store at a time drains the queued sites in small batches, each a statement of its own.
 *
 * Search does not depend on a run having happened: `catchUp(site)` builds whatever of the
 * site is still pending (waiting for rows another filler holds, not skipping them), so a
 * search finds every version committed before it began, written by any process, including
 * one that died before its run.
 */
import type { Db } from '../db/connection.js';
import { fillPendingVectors } from '../db/queries/search.js';

/** Rows per statement in the background: short statements, so saves queue behind little. */
const BATCH = 32;
/** Rows per statement when a search or a reindex waits for them all. */
const CATCH_UP_BATCH = 256;

export interface SearchIndexer {
  /** The site has pending rows (just committed): build them soon, in the background. */
  queue(siteId: string): void;
  /** Builds every pending row of the site now; resolves when none is left. */
  catchUp(siteId: string): Promise<void>;
  /** Resolves when no background run is under way or scheduled (store close). */
  idle(): Promise<void>;
}

export function createSearchIndexer({ db, onError }: { db: Db; onError: (err: unknown) => void }): SearchIndexer {
  const queued = new Set<string>();
  let running: Promise<void> | undefined;
  const drain = async () => {
    for (const siteId of queued) {
      queued.delete(siteId);
      // SKIP LOCKED: rows a search's catch-up holds are being built already.
      while ((await fillPendingVectors(db, siteId, BATCH, { skipLocked: true })) === BATCH);
    }
  };
  const queue = (siteId: string): void => {
    queued.add(siteId);
    // A tick later: the saves committing now join this run instead of starting their own.
    running ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(drain)
      .catch((err: unknown) => {
        // The rows stay pending: the next search of their site builds them.
        queued.clear();
        onError(err);
      })
      .finally(() => {
        running = undefined;
        const next = queued.values().next();
        if (!next.done) queue(next.value);
      });
  };
  return {
    queue,
    async catchUp(siteId) {
      while ((await fillPendingVectors(db, siteId, CATCH_UP_BATCH, { skipLocked: false })) > 0);
    },
    async idle() {
      while (running) await running;
    },
  };
}
