/**
 * restore: loads a backup directory into an EMPTY store — the schema migrated (the store did
 * that on open), the rows inserted in foreign-key order in one transaction, each bundle fetched
 * into `<dataDir>/repos/<site>.git` — then checks the result the way `verso fsck` does.
 *
 * A backup is checked in full (verify) before anything is written, and a failed restore
 * removes the repositories it created; the database transaction rolls itself back.
 */
import { createReadStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describeTables, insertRowsFromJson, markRestoredRunCompleted, tableHasRows, type TableInfo } from '../../db/queries/backups.js';
import type { Db } from '../../db/connection.js';
import { migrationStatus } from '../../db/migrate.js';
import { ConflictError, InternalError, ValidationError } from '../../errors/index.js';
import type { FsckIssue, RestoreOptions, RestoreReport } from '../../types.js';
import { stamp, type OpContext } from '../context.js';
import { reconcile } from '../reconcile.js';
import { git } from '../runGit.js';
import { fetchBundle, listRepoRefs, requireGit } from './bundles.js';
import { databaseDigest, type BackupManifest, type ManifestTable } from './manifest.js';
import { insertionOrder, parentsFirst } from './tables.js';
import { checkBackupDir } from './verify.js';

/** Rows per INSERT, and a byte cap so a table of large rows does not build one huge statement. */
const BATCH_ROWS = 500;
const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * @throws ValidationError when the backup fails verification or was written by a newer schema;
 *   ConflictError when the store is not empty; InternalError when git is missing or the
 *   restored store does not check clean.
 * @example
 *   const store = await openStore({ dataDir: 'restored', skipReconcile: true });
 *   await store.restore({ from: 'verso-backup-20261122T101500Z' });
 */
export async function restore({ ctx, opts }: { ctx: OpContext; opts: RestoreOptions }): Promise<RestoreReport> {
  if (!opts || typeof opts.from !== 'string' || !opts.from) throw new ValidationError('restore needs { from: <backup directory> }', { field: 'from' });
  await requireGit('verso restore');
  const from = resolve(opts.from);

  // 1. Only into an empty store (checked first: it is cheap).
  const current = await describeTables(ctx.knex);
  await requireEmpty(ctx, current);

  // 2. The backup must be whole, and fit this schema.
  const { report: check, manifest } = await checkBackupDir({ dir: from, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  if (!check.ok || !manifest) {
    const first = check.failures.slice(0, 3).map((f) => `${f.file}: ${f.reason}`).join('; ');
    throw new ValidationError(`the backup in ${from} failed verification (${first}); nothing was restored`, { failures: check.failures });
  }
  const applied = (await migrationStatus(ctx.knex)).applied;
  const unknown = manifest.database.migrations.find((m, i) => applied[i] !== m);
  if (unknown !== undefined) {
    throw new ValidationError(`the backup's schema has migration ${unknown}, which this verso does not have at that place; restore it with the verso that wrote it`, { migrations: manifest.database.migrations });
  }
  const tables = planTables(current, manifest);

  // 3. Repositories, then rows; undo the repositories if anything fails.
  const created: string[] = [];
  let rows = 0;
  try {
    for (const [i, site] of manifest.sites.entries()) {
      opts.onProgress?.({ phase: 'restore', item: `repos/${site.id}.git`, done: i, total: manifest.sites.length });
      const repo = ctx.repo(site.id);
      if (await stat(repo.dir).catch(() => undefined)) throw new ConflictError(`${repo.dir} already exists`, { site: site.id });
      created.push(repo.dir);
      await restoreRepository(repo, from, site);
    }
    const total = tables.reduce((n, t) => n + t.table.rows, 0);
    await ctx.knex.transaction(async (trx) => {
      for (const t of tables) {
        opts.onProgress?.({ phase: 'restore', item: t.table.name, done: rows, total });
        rows += await loadTable(trx, join(from, t.table.file), t.table, t.info, (n) => opts.onProgress?.({ phase: 'restore', item: t.table.name, done: rows + n, total }));
      }
      await markCatalogue(ctx, trx, from, manifest);
    });
  } catch (err) {
    for (const dir of created) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  ctx.clock.observe(BigInt(manifest.hlc));

  // 4. The restored store must check clean. A backup taken during writes may hold commits the
  //    index snapshot lacked (see backup.ts): those are indexed from their trailers, as
  //    start-up does after a crash, and reported.
  let repaired: FsckIssue[] = [];
  if ((await reconcile({ ctx, repair: false, full: true })).issues.length) {
    repaired = (await reconcile({ ctx, repair: true, full: true })).issues;
    const left = (await reconcile({ ctx, repair: false, full: true })).issues;
    if (left.length) throw new InternalError(`the restored store does not check clean: ${left.map((i) => `${i.site} ${i.kind} ${i.detail}`).join('; ')}`, { issues: left });
  }
  return { from, backupSetId: manifest.backupSetId, tables: tables.length, rows, sites: manifest.sites.map((s) => s.id), repaired };
}

interface PlannedTable {
  table: ManifestTable;
  info: TableInfo;
}

/** The backup's tables in this schema's foreign-key order; each must exist with its columns. */
function planTables(current: TableInfo[], manifest: BackupManifest): PlannedTable[] {
  const byName = new Map(manifest.database.tables.map((t) => [t.name, t]));
  for (const t of manifest.database.tables) {
    const info = current.find((c) => c.name === t.name);
    if (!info) throw new ValidationError(`the backup holds table ${t.name}, which this schema does not have`, { table: t.name });
    const missing = t.columns.filter((c) => !info.columns.includes(c));
    if (missing.length) throw new ValidationError(`the backup's table ${t.name} has column(s) ${missing.join(', ')}, which this schema does not have`, { table: t.name });
  }
  return insertionOrder(current)
    .filter((info) => byName.has(info.name))
    .map((info) => ({ info, table: byName.get(info.name)! }));
}

/** @throws ConflictError naming what is already there. */
async function requireEmpty(ctx: OpContext, tables: TableInfo[]): Promise<void> {
  const reposDir = join(ctx.dataDir, 'repos');
  const repos = (await readdir(reposDir).catch(() => [] as string[])).filter((e) => !e.startsWith('.'));
  const filled: string[] = [];
  for (const t of tables) if (await tableHasRows(ctx.knex, t.name)) filled.push(t.name);
  if (!filled.length && !repos.length) return;
  const what = [
    ...(filled.length ? [`the database already holds rows (in ${filled.join(', ')})`] : []),
    ...(repos.length ? [`${reposDir} already holds ${repos.join(', ')}`] : []),
  ].join(', and ');
  throw new ConflictError(`restore needs an empty store: ${what}. Restore into a new data dir (and a new, empty database)`, { tables: filled, repos });
}

async function restoreRepository(repo: ReturnType<OpContext['repo']>, from: string, site: BackupManifest['sites'][number]): Promise<void> {
  // init first: verso's config (core.filesRefLockTimeout) and HEAD, as createSite makes them.
  await repo.init();
  if (!site.bundle) return;
  await fetchBundle(repo.dir, join(from, site.bundle));
  if (site.head && site.head !== 'refs/heads/main') await git({ gitDir: repo.dir, args: ['symbolic-ref', 'HEAD', site.head] });
  const have = new Map((await listRepoRefs(repo.dir)).map((r) => [r.ref, r.oid]));
  const differ = have.size !== site.refs.length || site.refs.some((r) => have.get(r.ref) !== r.oid);
  if (differ) throw new InternalError(`the refs restored into ${repo.dir} differ from the manifest's`, { site: site.id });
  // Idempotent: makes sure the config verso needs survived the fetch.
  await repo.init();
}

/** Inserts a table's lines in batches; a table that references itself is ordered parents first. */
async function loadTable(trx: Db, path: string, table: ManifestTable, info: TableInfo, progress: (n: number) => void): Promise<number> {
  const selfReferencing = info.foreignKeys.some((fk) => fk.refTable === info.name);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let batch: string[] = [];
  let bytes = 0;
  let done = 0;
  const flush = async () => {
    await insertRowsFromJson(trx, table.name, table.columns, batch);
    done += batch.length;
    progress(done);
    batch = [];
    bytes = 0;
  };
  if (selfReferencing) {
    const all: string[] = [];
    for await (const line of lines) if (line) all.push(line);
    for (const line of parentsFirst(info, all)) {
      batch.push(line);
      bytes += line.length;
      if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush();
    }
  } else {
    for await (const line of lines) {
      if (!line) continue;
      batch.push(line);
      bytes += line.length;
      if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush();
    }
  }
  if (batch.length) await flush();
  return done;
}

/**
 * The dump holds this run's catalogue rows as they were when it began (running); the manifest
 * proves the run completed, so the restored catalogue says so, pointing at where it was read.
 */
async function markCatalogue(ctx: OpContext, trx: Db, from: string, manifest: BackupManifest): Promise<void> {
  const dbFiles = manifest.files.filter((f) => f.path.startsWith('db/'));
  const db = databaseDigest(dbFiles);
  const artefacts = [{ id: manifest.database.backupId, location: join(from, 'db'), size_bytes: db.size, sha256: db.sha256 }];
  for (const s of manifest.sites) {
    const f = s.bundle ? manifest.files.find((x) => x.path === s.bundle) : undefined;
    if (s.backupId && f) artefacts.push({ id: s.backupId, location: join(from, f.path), size_bytes: f.size, sha256: f.sha256 });
  }
  await markRestoredRunCompleted(trx, { id: manifest.backupSetId, finishedAt: manifest.finishedAt }, artefacts, stamp(ctx));
}
