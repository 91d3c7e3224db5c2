/**
 * Runs `fn` once the transaction `db` belongs to has committed; never when it rolls back. With
 * no transaction (the statement already committed), at once. A nested transaction (a savepoint)
 * waits for its outermost one: only that commit makes rows visible to other connections.
 */
import type { Knex } from 'knex';
import type { Db } from './connection.js';

type Transactor = Knex.Transaction & { parentTransaction?: Transactor };

export function afterCommit(db: Db, fn: () => void): void {
  let trx = (db as Partial<Transactor>).executionPromise ? (db as Transactor) : undefined;
  if (!trx) return fn();
  while (trx.parentTransaction) trx = trx.parentTransaction;
  trx.executionPromise.then(fn, () => undefined);
}
