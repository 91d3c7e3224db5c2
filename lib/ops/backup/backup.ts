/**
 * backup: a self-describing backup directory — the index dumped as JSON lines (one snapshot),
 * one git bundle per site, and manifest.json (checksums, refs, migrations) — catalogued in
 * backup_sets/backups (running → completed or failed).
 *
 * Order matters: the index snapshot is taken first and the bundles after it, so every commit
 * the index names is in a bundle. A save racing the backup can only leave a commit in a bundle
 * that the snapshot lacks — the state a crash between ref move and index commit leaves, which
 * restore (like start-up) indexes from the commit's trailers.
 */
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { completeBackupRow, completeBackupSet, failBackupSet, failRunningBackups, insertBackupRows, insertBackupSet } from '../../db/queries/backups.js';
import { listSiteRows } from '../../db/queries/sites.js';
import { ConflictError, InternalError, ValidationError } from '../../errors/index.js';
import type { BackupOptions, BackupReport } from '../../types.js';
import { stamp, type OpContext } from '../context.js';
import { loadSite } from '../loadSite.js';
import { createBundle, listRepoRefs, requireGit, symbolicHead } from './bundles.js';
import { dumpDatabase } from './dumpDatabase.js';
import { fsyncDir } from '../../objects/index.js';
import { databaseDigest, hashFile, MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_VERSION, writeDurable, type BackupManifest, type ManifestFile, type ManifestSite } from './manifest.js';

/** `verso-backup-20261122T101500Z`: sorts by time, safe in any file system. */
export function defaultBackupDir(now: Date): string {
  return resolve(`verso-backup-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`);
}

/**
 * Creates the output directory; it must not exist or be empty. Returns whether it was created
 * (what to remove on failure).
 * @throws ConflictError when it exists and holds anything.
 */
async function prepareOut(dir: string): Promise<boolean> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    if (err.code === 'ENOTDIR') throw new ConflictError(`${dir} exists and is not a directory; give --out a new directory`, { dir });
    throw err;
  });
  if (entries && entries.length) throw new ConflictError(`${dir} is not empty; a backup goes into a new (or empty) directory`, { dir });
  await mkdir(join(dir, 'db'), { recursive: true });
  await mkdir(join(dir, 'repos'), { recursive: true });
  return entries === undefined;
}

/**
 * @throws ConflictError when the output directory is not empty; NotFoundError for an unknown
 *   site; InternalError when git is missing or a step fails (the run is catalogued as failed
 *   and the partial directory removed).
 * @example
 *   const report = await store.backup({ out: '/backups/verso-2026-11-22' });
 */
export async function backup({ ctx, opts = {} }: { ctx: OpContext; opts?: BackupOptions }): Promise<BackupReport> {
  if (opts.out !== undefined && (typeof opts.out !== 'string' || !opts.out)) throw new ValidationError('out must be a directory path', { field: 'out' });
  if (opts.triggeredBy !== undefined && (typeof opts.triggeredBy !== 'string' || opts.triggeredBy.length < 1 || opts.triggeredBy.length > 200)) {
    throw new ValidationError('triggeredBy must be 1-200 characters', { field: 'triggeredBy' });
  }
  await requireGit('verso backup');
  const site = opts.site === undefined ? undefined : await loadSite(ctx, opts.site);
  const started = new Date(ctx.clock.now());
  const dir = resolve(opts.out ?? defaultBackupDir(started));
  const created = await prepareOut(dir);
  const setId = ctx.newId();
  const hlc = ctx.clock.tick();
  const databaseBackupId = ctx.newId();
  const repoBackupIds = new Map<string, string>();

  // 1. Catalogue the run before the snapshot, so the dump holds it (as running). A repository
  //    with no refs yet has nothing to bundle, so no artefact row.
  const rows: Parameters<typeof insertBackupRows>[1] = [{ id: databaseBackupId, backup_set_id: setId, site_id: null, kind: 'database', location: join(dir, 'db'), ...stamp(ctx) }];
  for (const s of await listSiteRows(ctx.knex)) {
    if (site && s.id !== site.id) continue;
    if (!(await listRepoRefs(ctx.repo(s.slug).dir).catch(() => [])).length) continue;
    const id = ctx.newId();
    repoBackupIds.set(s.slug, id);
    rows.push({ id, backup_set_id: setId, site_id: s.id, kind: 'repository', location: bundleLocation(dir, s.slug), ...stamp(ctx) });
  }
  try {
    await ctx.knex.transaction(async (trx) => {
      await insertBackupSet(trx, { id: setId, hlc, triggered_by: opts.triggeredBy ?? 'sdk', ...stamp(ctx) });
      await insertBackupRows(trx, rows);
    });
  } catch (err) {
    if (created) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }

  try {
    // 2. The index, one snapshot.
    const dump = await dumpDatabase({ ctx, dir, ...(site ? { siteRowId: site.id } : {}), onProgress: (item, done, total) => opts.onProgress?.({ phase: 'database', item, done, total }) });

    // 3. The repositories of the sites in that snapshot, after it.
    const sites: ManifestSite[] = [];
    const files: ManifestFile[] = [...dump.files];
    for (const [i, s] of dump.sites.entries()) {
      opts.onProgress?.({ phase: 'repositories', item: s.slug, done: i, total: dump.sites.length });
      const gitDir = ctx.repo(s.slug).dir;
      if (!(await stat(gitDir).catch(() => undefined))?.isDirectory()) throw new InternalError(`site ${s.slug}'s repository is missing (${gitDir})`, { site: s.slug });
      const path = `repos/${s.slug}.bundle`;
      const refs = await createBundle(gitDir, join(dir, path));
      let backupId = repoBackupIds.get(s.slug) ?? null;
      if (refs) {
        const file = { path, ...(await hashFile(join(dir, path))) };
        await fsyncFile(join(dir, path));
        files.push(file);
        if (!backupId) {
          // A site whose first commit (or creation) came after step 1.
          backupId = ctx.newId();
          repoBackupIds.set(s.slug, backupId);
          await insertBackupRows(ctx.knex, [{ id: backupId, backup_set_id: setId, site_id: s.rowId, kind: 'repository', location: bundleLocation(dir, s.slug), ...stamp(ctx) }]);
        }
      }
      sites.push({ id: s.slug, rowId: s.rowId, backupId: refs ? backupId : null, bundle: refs ? path : null, head: await symbolicHead(gitDir), refs: refs ?? [] });
    }
    opts.onProgress?.({ phase: 'repositories', done: dump.sites.length, total: dump.sites.length });

    // 4. The manifest, last: its presence marks a finished backup.
    const finished = new Date(ctx.clock.now());
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      formatVersion: MANIFEST_VERSION,
      backupSetId: setId,
      createdAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      nodeId: ctx.nodeId,
      hlc: BigInt(hlc).toString(),
      site: site?.slug ?? null,
      database: { backupId: databaseBackupId, dialect: ctx.dbKind, serverVersion: dump.serverVersion, migrations: dump.migrations, tables: dump.tables },
      sites,
      files,
    };
    await fsyncDir(join(dir, 'db'));
    await fsyncDir(join(dir, 'repos'));
    await writeDurable(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    await fsyncDir(dir);

    // 5. The catalogue.
    const db = databaseDigest(dump.files);
    await ctx.knex.transaction(async (trx) => {
      await completeBackupRow(trx, databaseBackupId, { location: join(dir, 'db'), size_bytes: db.size, sha256: db.sha256, ...stamp(ctx) });
      for (const s of sites) {
        if (!s.backupId || !s.bundle) continue;
        const f = files.find((x) => x.path === s.bundle)!;
        await completeBackupRow(trx, s.backupId, { location: bundleLocation(dir, s.id), size_bytes: f.size, sha256: f.sha256, ...stamp(ctx) });
      }
      // Rows for repositories that turned out to have nothing to bundle are failed, not faked.
      await failRunningBackups(trx, setId, 'the repository had no refs to bundle', stamp(ctx));
      await completeBackupSet(trx, setId, stamp(ctx));
    });

    return {
      id: setId,
      dir,
      ...(site ? { site: site.slug } : {}),
      createdAt: manifest.createdAt,
      finishedAt: manifest.finishedAt,
      database: { tables: dump.tables.length, rows: dump.rows, bytes: db.size },
      repositories: sites.map((s) => ({
        site: s.id,
        refs: s.refs.length,
        bytes: s.bundle ? files.find((f) => f.path === s.bundle)!.size : 0,
        ...(s.bundle ? { bundle: join(dir, s.bundle) } : {}),
      })),
      files: files.length + 1,
      bytes: files.reduce((n, f) => n + f.size, 0),
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await failBackupSet(ctx.knex, setId, message, stamp(ctx)).catch((e: unknown) => ctx.log.warn({ err: String(e), setId }, 'could not mark the backup run failed'));
    await (created ? rm(dir, { recursive: true, force: true }) : emptyDir(dir)).catch(() => undefined);
    throw err;
  }
}

function bundleLocation(dir: string, slug: string): string {
  return join(dir, 'repos', `${slug}.bundle`);
}

async function emptyDir(dir: string): Promise<void> {
  for (const e of await readdir(dir)) await rm(join(dir, e), { recursive: true, force: true });
}

async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
