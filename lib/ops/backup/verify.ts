/**
 * verify: "backups that aren't tested aren't backups". Re-hashes every file against the
 * manifest, parses every JSON line, and fetches every bundle into a scratch repository (which
 * checks each object; `git bundle verify` alone reads only the header). When the backup is
 * catalogued in this store, each artefact gets a backup_verifications row.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { findBackupSet, insertVerification, latestCompletedDatabaseBackup, listBackupRowsOfSet } from '../../db/queries/backups.js';
import { NotFoundError } from '../../errors/index.js';
import type { BackupProgress, VerifyProblem, VerifyReport } from '../../types.js';
import { stamp, type OpContext } from '../context.js';
import { checkBundle } from './bundles.js';
import { hashFile, MANIFEST_FILE, parseManifest, type BackupManifest, type ManifestTable } from './manifest.js';

/** At most this many problems are reported per file: one corrupt table should not flood. */
const PROBLEMS_PER_FILE = 5;

export interface DirCheck {
  report: VerifyReport;
  manifest?: BackupManifest;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}

/** Every line a JSON object carrying the table's columns; as many lines as the manifest says. */
async function checkTableFile(path: string, table: ManifestTable): Promise<{ problems: string[]; rows: number }> {
  const problems: string[] = [];
  let rows = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    rows++;
    if (problems.length >= PROBLEMS_PER_FILE) continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      problems.push(`line ${rows} is not JSON: ${(err as Error).message}`);
      continue;
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) {
      problems.push(`line ${rows} is not a JSON object`);
      continue;
    }
    const missing = table.columns.filter((c) => !(c in row));
    if (missing.length) problems.push(`line ${rows} lacks the column(s) ${missing.join(', ')}`);
  }
  if (rows !== table.rows) problems.push(`holds ${rows} rows, the manifest says ${table.rows}`);
  return { problems, rows };
}

/**
 * Checks a backup directory on its own (no store needed).
 * @example
 *   const { report } = await checkBackupDir({ dir: 'verso-backup-20261122T101500Z' });
 *   if (!report.ok) for (const f of report.failures) console.error(`${f.file}: ${f.reason}`);
 */
export async function checkBackupDir({ dir: given, onProgress }: { dir: string; onProgress?: (p: BackupProgress) => void }): Promise<DirCheck> {
  const dir = resolve(given);
  const failures: VerifyProblem[] = [];
  const warnings: VerifyProblem[] = [];
  const report = (manifest?: BackupManifest, counts = { files: 0, rows: 0, bundles: 0 }): DirCheck => ({
    report: {
      dir,
      ok: failures.length === 0,
      ...(manifest ? { backupSetId: manifest.backupSetId, createdAt: manifest.createdAt } : {}),
      ...counts,
      failures,
      warnings,
      recorded: 0,
    },
    ...(manifest ? { manifest } : {}),
  });

  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    failures.push({ file: dir, reason: 'is not a directory (or does not exist)' });
    return report();
  }
  const text = await readFile(join(dir, MANIFEST_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) {
    failures.push({ file: MANIFEST_FILE, reason: 'is missing: this is not a finished verso backup' });
    return report();
  }
  let manifest: BackupManifest;
  try {
    manifest = parseManifest(text);
  } catch (err) {
    failures.push({ file: MANIFEST_FILE, reason: (err as Error).message });
    return report();
  }

  const listed = new Set(manifest.files.map((f) => f.path));
  for (const f of await listFiles(dir)) if (f !== MANIFEST_FILE && !listed.has(f)) warnings.push({ file: f, reason: 'is not listed in the manifest (ignored)' });

  const tables = new Map(manifest.database.tables.map((t) => [t.file, t]));
  const sites = new Map(manifest.sites.filter((s) => s.bundle).map((s) => [s.bundle!, s]));
  let rows = 0;
  let bundles = 0;
  for (const [i, f] of manifest.files.entries()) {
    onProgress?.({ phase: 'verify', item: f.path, done: i, total: manifest.files.length });
    const path = join(dir, f.path);
    const fail = (reason: string) => failures.push({ file: f.path, reason });
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) {
      fail('is missing');
      continue;
    }
    const { sha256, size } = await hashFile(path);
    if (size !== f.size) fail(`is ${size} bytes, the manifest says ${f.size}`);
    else if (sha256 !== f.sha256) fail(`has SHA-256 ${sha256}, the manifest says ${f.sha256}: the file changed or is corrupt`);
    const table = tables.get(f.path);
    if (table) {
      const checked = await checkTableFile(path, table);
      rows += checked.rows;
      for (const p of checked.problems) fail(p);
    }
    const site = sites.get(f.path);
    if (site) {
      bundles++;
      for (const p of (await checkBundle(path, site.refs)).slice(0, PROBLEMS_PER_FILE)) fail(p);
    }
  }
  onProgress?.({ phase: 'verify', done: manifest.files.length, total: manifest.files.length });
  return report(manifest, { files: manifest.files.length + 1, rows, bundles });
}

/**
 * verifyBackup: checks a backup directory (default: the newest completed backup in this
 * store's catalogue) and records the outcome per artefact when the run is catalogued here.
 * @throws NotFoundError when no directory is given and none is catalogued.
 * @example
 *   const report = await store.verifyBackup({ dir: '/backups/verso-2026-11-22' });
 */
export async function verifyBackup({ ctx, dir, record = true, onProgress }: { ctx: OpContext; dir?: string; record?: boolean; onProgress?: (p: BackupProgress) => void }): Promise<VerifyReport> {
  let target = dir;
  if (target === undefined) {
    const latest = await latestCompletedDatabaseBackup(ctx.knex);
    if (!latest) throw new NotFoundError('no completed backup is catalogued in this store; name the backup directory', {});
    target = dirname(latest.location);
  }
  const { report, manifest } = await checkBackupDir({ dir: target, ...(onProgress ? { onProgress } : {}) });
  if (!record || !manifest || !(await findBackupSet(ctx.knex, manifest.backupSetId))) return report;

  const known = new Set((await listBackupRowsOfSet(ctx.knex, manifest.backupSetId)).map((b) => b.id));
  const artefacts = [
    { backupId: manifest.database.backupId, concerns: (file: string) => file === MANIFEST_FILE || file.startsWith('db/') },
    ...manifest.sites.filter((s) => s.backupId && s.bundle).map((s) => ({ backupId: s.backupId!, concerns: (file: string) => file === MANIFEST_FILE || file === s.bundle })),
  ];
  let recorded = 0;
  await ctx.knex.transaction(async (trx) => {
    for (const a of artefacts) {
      if (!known.has(a.backupId)) continue;
      const failures = report.failures.filter((f) => a.concerns(f.file));
      await insertVerification(trx, {
        id: ctx.newId(),
        backup_id: a.backupId,
        status: failures.length ? 'failed' : 'passed',
        details: { dir: report.dir, files: report.files, rows: report.rows, bundles: report.bundles, failures: failures.slice(0, 50) },
        ...stamp(ctx),
      });
      recorded++;
    }
  });
  return { ...report, recorded };
}
