/**
 * SQL of `verso backup | verify | restore`: the schema as the catalogue describes it (so a table
 * a later migration adds is dumped without touching this file), the logical dump and load of
 * rows as JSON text, and the backup catalogue (backup_sets, backups, backup_verifications).
 *
 * Rows travel as the JSON text PostgreSQL itself writes (`row_to_json`) and reads back
 * (`json_populate_recordset`), never through JavaScript values: bigint HLCs above 2^53,
 * microsecond timestamps, bytea and text[] survive exactly.
 */
import type { Db } from '../connection.js';
import type { Stamp } from './sites.js';

/** knex's own bookkeeping: described by the manifest's migration list, not dumped. */
const MIGRATION_TABLES = ['verso_migrations', 'verso_migrations_lock'];

export interface ForeignKeyInfo {
  name: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface TableInfo {
  name: string;
  /** Columns in table order, generated columns left out (they cannot be inserted). */
  columns: string[];
  primaryKey: string[];
  foreignKeys: ForeignKeyInfo[];
  /** undefined: no site_id column; otherwise whether it may be NULL (a global table). */
  siteIdNullable?: boolean;
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/**
 * Every table of the current schema but knex's migration tables, with columns, primary key and
 * foreign keys, read from pg_catalog (PostgreSQL 12+ and PGlite alike).
 */
export async function describeTables(db: Db): Promise<TableInfo[]> {
  const columns = rowsOf<{ table: string; column: string; not_null: boolean }>(
    await db.raw(
      `SELECT c.relname::text AS "table", a.attname::text AS "column", a.attnotnull AS not_null
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY c.relname, a.attnum`,
    ),
  );
  const constraints = rowsOf<{ name: string; type: 'p' | 'f'; table: string; ref_table: string | null; columns: string[]; ref_columns: string[] | null }>(
    await db.raw(
      `SELECT con.conname::text AS name, con.contype::text AS type, c.relname::text AS "table", rc.relname::text AS ref_table,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
         FROM pg_constraint con
         JOIN pg_class c ON c.oid = con.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_class rc ON rc.oid = con.confrelid
        WHERE n.nspname = current_schema() AND con.contype IN ('p', 'f')
        ORDER BY c.relname, con.conname`,
    ),
  );
  const tables = new Map<string, TableInfo>();
  for (const c of columns) {
    if (MIGRATION_TABLES.includes(c.table)) continue;
    let t = tables.get(c.table);
    if (!t) tables.set(c.table, (t = { name: c.table, columns: [], primaryKey: [], foreignKeys: [] }));
    t.columns.push(c.column);
    if (c.column === 'site_id') t.siteIdNullable = !c.not_null;
  }
  for (const k of constraints) {
    const t = tables.get(k.table);
    if (!t) continue;
    if (k.type === 'p') t.primaryKey = k.columns;
    else if (k.ref_table && k.ref_columns) t.foreignKeys.push({ name: k.name, columns: k.columns, refTable: k.ref_table, refColumns: k.ref_columns });
  }
  return [...tables.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The applied migrations, oldest first (read in the caller's transaction, unlike knex.migrate). */
export async function appliedMigrationNames(db: Db): Promise<string[]> {
  return (await db('verso_migrations').orderBy('id').pluck('name')) as string[];
}

export async function serverVersion(db: Db): Promise<string> {
  return rowsOf<{ server_version: string }>(await db.raw('SHOW server_version'))[0]?.server_version ?? 'unknown';
}

export async function tableHasRows(db: Db, table: string): Promise<boolean> {
  return rowsOf<{ found: boolean }>(await db.raw('SELECT EXISTS (SELECT 1 FROM ??) AS found', [table]))[0]?.found === true;
}

/** A dump's row filter: `column = value` (site-scoped backups). */
export interface RowFilter {
  column: string;
  value: string;
}

export async function countRows(db: Db, table: string, filter?: RowFilter): Promise<number> {
  const sql = filter ? 'SELECT count(*) AS n FROM ?? WHERE ?? = ?' : 'SELECT count(*) AS n FROM ??';
  const bindings = filter ? [table, filter.column, filter.value] : [table];
  return Number(rowsOf<{ n: string | number }>(await db.raw(sql, bindings))[0]?.n ?? 0);
}

/**
 * Streams the rows of `table` as JSON text, `batchSize` at a time, through a cursor. Must run
 * inside a transaction (a cursor lives in one); a repeatable-read one makes every table of the
 * dump one snapshot.
 */
export async function dumpRows(
  trx: Db,
  args: { table: string; orderBy: string[]; filter?: RowFilter; batchSize?: number },
  onBatch: (lines: string[]) => Promise<void>,
): Promise<void> {
  const cursor = 'verso_backup_dump';
  const where = args.filter ? ' WHERE ?? = ?' : '';
  const order = args.orderBy.length ? ` ORDER BY ${args.orderBy.map(() => '??').join(', ')}` : '';
  const bindings = [args.table, ...(args.filter ? [args.filter.column, args.filter.value] : []), ...args.orderBy];
  await trx.raw(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS line FROM ?? AS t${where}${order}`, bindings);
  try {
    for (;;) {
      const lines = rowsOf<{ line: string }>(await trx.raw(`FETCH ${args.batchSize ?? 500} FROM ${cursor}`)).map((r) => r.line);
      if (!lines.length) break;
      await onBatch(lines);
    }
  } finally {
    await trx.raw(`CLOSE ${cursor}`);
  }
}

/**
 * Inserts rows given as the JSON text dumpRows produced. Only `columns` are set, so a column a
 * later migration added takes its default.
 */
export async function insertRowsFromJson(trx: Db, table: string, columns: string[], lines: string[]): Promise<void> {
  if (!lines.length) return;
  await trx.raw('INSERT INTO ?? (??) SELECT ?? FROM json_populate_recordset(NULL::??, ?::json)', [table, columns, columns, table, `[${lines.join(',')}]`]);
}

// ---- the catalogue -------------------------------------------------------------------------

export interface BackupRow {
  id: string;
  backup_set_id: string;
  site_id: string | null;
  kind: 'full' | 'database' | 'repository';
  location: string;
  size_bytes: number | string | null;
  sha256: string | null;
  status: 'running' | 'completed' | 'failed';
}

export interface BackupSetRow {
  id: string;
  status: 'running' | 'completed' | 'failed';
  hlc: number | bigint;
  started_at: Date | string;
  finished_at: Date | string | null;
  triggered_by: string | null;
  error_message: string | null;
}

export async function insertBackupSet(db: Db, row: { id: string; hlc: bigint; triggered_by: string | null } & Stamp): Promise<void> {
  await db('backup_sets').insert({ ...row, status: 'running' });
}

export async function insertBackupRows(db: Db, rows: Array<{ id: string; backup_set_id: string; site_id: string | null; kind: 'database' | 'repository'; location: string } & Stamp>): Promise<void> {
  if (rows.length) await db('backups').insert(rows.map((r) => ({ ...r, status: 'running' })));
}

export async function completeBackupRow(db: Db, id: string, done: { location: string; size_bytes: number; sha256: string } & Stamp): Promise<void> {
  await db('backups').where({ id }).update({ ...done, status: 'completed', finished_at: db.raw('greatest(started_at, now())'), error_message: null });
}

/** Marks the artefacts of a set that are still running as failed. */
export async function failRunningBackups(db: Db, setId: string, message: string, s: Stamp): Promise<void> {
  await db('backups')
    .where({ backup_set_id: setId, status: 'running' })
    .update({ status: 'failed', finished_at: db.raw('greatest(started_at, now())'), error_message: message.slice(0, 4000), ...s });
}

/** Marks what is still running in a set as failed, then the set. */
export async function failBackupSet(db: Db, id: string, message: string, s: Stamp): Promise<void> {
  await failRunningBackups(db, id, message, s);
  await db('backup_sets')
    .where({ id, status: 'running' })
    .update({ status: 'failed', finished_at: db.raw('greatest(started_at, now())'), error_message: message.slice(0, 4000), ...s });
}

export async function completeBackupSet(db: Db, id: string, s: Stamp): Promise<void> {
  await db('backup_sets').where({ id }).update({ status: 'completed', finished_at: db.raw('greatest(started_at, now())'), error_message: null, ...s });
}

export async function findBackupSet(db: Db, id: string): Promise<BackupSetRow | undefined> {
  return (await db('backup_sets').where({ id }).first()) as BackupSetRow | undefined;
}

export async function listBackupRowsOfSet(db: Db, setId: string): Promise<BackupRow[]> {
  return (await db('backups').where({ backup_set_id: setId }).orderBy('id')) as BackupRow[];
}

/** The newest completed run, with its `database` artefact (whose location is `<dir>/db`). */
export async function latestCompletedDatabaseBackup(db: Db): Promise<BackupRow | undefined> {
  return (await db('backups as b')
    .join('backup_sets as s', 's.id', 'b.backup_set_id')
    .where({ 's.status': 'completed', 'b.kind': 'database', 'b.status': 'completed' })
    .orderBy([{ column: 's.started_at', order: 'desc' }, { column: 's.id', order: 'desc' }])
    .select('b.*')
    .first()) as BackupRow | undefined;
}

export async function insertVerification(db: Db, row: { id: string; backup_id: string; status: 'passed' | 'failed'; details: Record<string, unknown> } & Stamp): Promise<void> {
  await db('backup_verifications').insert({ ...row, details: JSON.stringify(row.details) });
}

/**
 * A restored catalogue holds the run it was restored from as it was when the dump began
 * (`running`); the manifest proves the run completed, so the restore records that.
 */
export async function markRestoredRunCompleted(
  trx: Db,
  set: { id: string; finishedAt: string },
  artefacts: Array<{ id: string; location: string; size_bytes: number; sha256: string }>,
  s: Stamp,
): Promise<void> {
  const finished_at = trx.raw('greatest(started_at, ?::timestamptz)', [set.finishedAt]);
  for (const a of artefacts) {
    await trx('backups').where({ id: a.id, status: 'running' }).update({ location: a.location, size_bytes: a.size_bytes, sha256: a.sha256, status: 'completed', finished_at, ...s });
  }
  await trx('backup_sets').where({ id: set.id, status: 'running' }).update({ status: 'completed', finished_at, ...s });
}
