/**
 * Counts the store operations the gateway has started and not yet finished, so shutdown can
 * wait for them. Waiting for connections alone is not enough: a client that hangs up in the
 * middle of a save closes its connection while the handler is still writing. The counting
 * itself is the SDK's (lib/sdk/inflight.ts; the embedded store's close() waits the same way);
 * the gateway counts its own calls to log what was still running at shutdown.
 */
import { trackStore as trackAny, type TrackedStore as TrackedAny } from '../lib/sdk/inflight.js';
import type { EmbeddedStore } from '../lib/types.js';

export type TrackedStore = TrackedAny<EmbeddedStore>;

export function trackStore(store: EmbeddedStore): TrackedStore {
  return trackAny(store);
}
