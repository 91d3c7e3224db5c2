/**
 * Opens the PostgreSQL index: `pg` when a database URL is given, otherwise embedded PGlite in
 * `<dataDir>/pg` through knex-pglite. PGlite has no lock of its own and corrupts its files when
 * two processes open one data dir, so the embedded path takes an exclusive lock file first.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { acquireDirLock, type DirLock } from './dirLock.js';
import type { LockLog } from '../locks/takeover.js';

export type Db = Knex | Knex.Transaction;

export interface Database {
  knex: Knex;
  kind: 'pg' | 'pglite';
  close(): Promise<void>;
}

export interface OpenDatabaseArgs {
  dataDir: string;
  databaseUrl?: string;
  /** Pool size for pg; PGlite always has exactly one connection. */
  poolMax?: number;
  /** Told when a stale data-dir lock (its holder is gone) is removed. */
  log?: LockLog;
}

// pg returns int8 as a string by default. Like PGlite: a number when it is exact (counts,
// sizes), a bigint past 2^53 (HLC values, ms << 16), so both engines hand back the same types.
async function setPgTypeParsers(): Promise<void> {
  const pg = await import('pg');
  pg.default.types.setTypeParser(20, (v: string) => {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : BigInt(v);
  });
}

export async function openDatabase({ dataDir, databaseUrl, poolMax = 10, log }: OpenDatabaseArgs): Promise<Database> {
  if (databaseUrl) {
    await setPgTypeParsers();
    const knex = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: poolMax } });
    await knex.raw('select 1');
    return { knex, kind: 'pg', close: () => knex.destroy() };
  }
  await mkdir(dataDir, { recursive: true });
  const lock: DirLock = await acquireDirLock(join(dataDir, 'pg.lock'), log);
  try {
    const { default: ClientPgLite } = await import('knex-pglite');
    const knex = knexFactory({
      client: ClientPgLite as unknown as typeof Knex.Client,
      dialect: 'postgres',
      connection: { filename: join(dataDir, 'pg') },
    } as Knex.Config);
    await knex.raw('select 1');
    return {
      knex,
      kind: 'pglite',
      close: async () => {
        await knex.destroy();
        await lock.release();
      },
    };
  } catch (err) {
    await lock.release();
    throw err;
  }
}
