/**
 * The write gate of an embedded (PGlite) store: how a save holds its document's lock across
 * its Git write without holding PGlite's only connection (DESIGN.md "Integrity").
 *
 * PGlite is one process (the data-dir lock), so an in-process lock is a complete lock there:
 * - a save of an existing document takes its document's mutex, then the gate in shared mode,
 *   and keeps both from its first short transaction (lock the row, take the number) through its
 *   Git write to its second one (record the version). Saves of distinct documents overlap their
 *   Git writes (the commit queue batches them); saves of one document queue on its mutex.
 * - every other transaction (merge, push indexing, reconcile, reindex, publish, first saves, …)
 *   takes the gate exclusively (gateTransactions below), so it runs only while no save is
 *   between its two transactions: to it, the store looks exactly as it did when each save held
 *   the connection throughout, and the orphan rule of takeNumber.ts stays true for it.
 * - a save's own orphan walk (takeNumber) runs while other saves are in flight: a commit that
 *   claims a document another save holds here (`held`) is that save's, not an orphan.
 * An exclusive waiter holds nothing, and a shared holder waits only for the connection, so
 * there is no cycle. Exclusive waiters go first (new shared holders queue behind them).
 */
import type { Knex } from 'knex';

type Waiter = () => void;

export class WriteGate {
  private shared = 0;
  private exclusive = false;
  private readonly exclusiveQueue: Waiter[] = [];
  private readonly sharedQueue: Waiter[] = [];
  /** Document key → the tail of its queue of saves (resolves when the last one releases). */
  private readonly docs = new Map<string, Promise<void>>();
  /** Documents whose save is between its first and its second transaction. */
  private readonly inFlight = new Map<string, number>();

  /** Runs `fn` holding `doc`'s mutex and the gate in shared mode. */
  async withDocument<T>(doc: string, fn: () => Promise<T>): Promise<T> {
    const before = this.docs.get(doc) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = before.then(() => mine);
    this.docs.set(doc, tail);
    await before;
    try {
      await this.enterShared();
      this.inFlight.set(doc, (this.inFlight.get(doc) ?? 0) + 1);
      try {
        return await fn();
      } finally {
        const n = this.inFlight.get(doc)! - 1;
        if (n) this.inFlight.set(doc, n);
        else this.inFlight.delete(doc);
        this.leaveShared();
      }
    } finally {
      release();
      if (this.docs.get(doc) === tail) this.docs.delete(doc);
    }
  }

  /** True while a save of `doc` may have moved a ref whose index row it has not committed yet. */
  held(doc: string): boolean {
    return this.inFlight.has(doc);
  }

  /** Runs `fn` while no save is in flight and none starts. */
  async alone<T>(fn: () => Promise<T>): Promise<T> {
    if (this.exclusive || this.shared || this.exclusiveQueue.length) await new Promise<void>((r) => this.exclusiveQueue.push(r));
    else this.exclusive = true;
    try {
      return await fn();
    } finally {
      this.exclusive = false;
      this.wake();
    }
  }

  private async enterShared(): Promise<void> {
    if (this.exclusive || this.exclusiveQueue.length) await new Promise<void>((r) => this.sharedQueue.push(r));
    else this.shared++;
  }

  private leaveShared(): void {
    this.shared--;
    this.wake();
  }

  /** Hands the gate on: to the next exclusive waiter when it is free, else to every shared one. */
  private wake(): void {
    if (this.exclusive) return;
    if (this.exclusiveQueue.length) {
      if (this.shared) return;
      this.exclusive = true;
      this.exclusiveQueue.shift()!();
      return;
    }
    const queued = this.sharedQueue.splice(0);
    this.shared += queued.length;
    for (const w of queued) w();
  }
}

/** The key of a document in the gate: site id and `type/key/locale`. */
export function gateKey(siteId: string, doc: string): string {
  return `${siteId} ${doc}`;
}

/**
 * The store's knex, except that `transaction(cb)` runs under `gate.alone`: every transaction
 * an operation opens excludes the saves in flight, without each operation knowing about them.
 * Savepoints (`trx.transaction`) are the transaction's own and are not gated.
 */
export function gateTransactions(knex: Knex, gate: WriteGate): Knex {
  const transaction = ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') throw new Error('an embedded store opens transactions with a callback only');
    return gate.alone(() => (knex.transaction as (...a: unknown[]) => Promise<unknown>)(...args));
  }) as Knex['transaction'];
  return new Proxy(knex, {
    get(target, prop, receiver) {
      if (prop === 'transaction') return transaction;
      return Reflect.get(target, prop, receiver);
    },
  });
}
