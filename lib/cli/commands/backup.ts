/**
 * `verso backup | verify | restore`: a backup directory (the index as JSON lines, a git bundle
 * per site, manifest.json), checked and loaded back. Embedded store only. A progress bar on a
 * terminal (stderr), plain progress lines otherwise, so stdout keeps only the result.
 * `verify` exits 1 when anything is wrong, naming each file.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { ConflictError } from '../../errors/index.js';
import type { BackupProgress, VerifyReport } from '../../types.js';
import { printerFor, type CliContext, type Printer } from '../context.js';
import { EXIT_FAILURE } from '../errors.js';
import type { Io } from '../io.js';
import { chooseStore } from '../options.js';
import { openEmbedded, withEmbeddedStore } from '../store.js';

export function registerBackup(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description('write a backup directory: the index (one snapshot), a git bundle per site, manifest.json')
    .option('--out <dir>', 'the directory to create (must not exist, or be empty); default ./verso-backup-<UTC time>')
    .option('--site <id>', "back up one site only: its rows and its repository")
    .addHelpText('after', '\nExamples:\n  verso backup --out /backups/verso-$(date +%F)\n  verso backup --site acme --json')
    .action(async (opts: { out?: string; site?: string }, cmd: Command) => {
      const progress = progressReporter(ctx.io, 'backup');
      let report;
      try {
        report = await withEmbeddedStore(cmd, 'backup', (store) =>
          store.backup({ ...(opts.out ? { out: opts.out } : {}), ...(opts.site ? { site: opts.site } : {}), triggeredBy: 'verso backup', onProgress: progress.update }),
        );
      } finally {
        progress.stop();
      }
      const out = printerFor(ctx, cmd);
      out.result(report, () => {
        out.line(out.color.green(`backup ${report.id} completed: ${report.dir}`));
        const rows: string[][] = [['database', `${report.database.tables} tables, ${report.database.rows} rows`, size(report.database.bytes)]];
        for (const r of report.repositories) rows.push([`repos/${r.site}`, r.bundle ? `${r.refs} ref${r.refs === 1 ? '' : 's'}` : 'no commits yet (nothing to bundle)', r.bundle ? size(r.bytes) : '']);
        out.table(['PART', 'HOLDS', 'SIZE'], rows, { right: [2] });
        out.line(`check it with: verso verify ${quoteArg(report.dir)}`);
      });
    });

  program
    .command('verify')
    .description('check a backup directory: every checksum, every JSON line, every bundle; exit 1 naming what is wrong')
    .argument('[dir]', 'the backup directory (default: the newest completed backup catalogued in the store)')
    .option('--no-record', 'do not record the result in the store (backup_verifications)')
    .addHelpText('after', '\nExamples:\n  verso verify /backups/verso-2026-11-22\n  verso verify --json')
    .action(async (dir: string | undefined, opts: { record: boolean }, cmd: Command) => {
      const progress = progressReporter(ctx.io, 'verify');
      let report: VerifyReport;
      const notices: string[] = [];
      try {
        report = await verify(cmd, dir, opts.record, progress.update, notices);
      } finally {
        progress.stop();
      }
      for (const n of notices) ctx.io.stderr.write(`${n}\n`);
      const out = printerFor(ctx, cmd);
      out.result(report, () => printVerify(out, report));
      if (!report.ok) ctx.exitCode = EXIT_FAILURE;
    });

  program
    .command('restore')
    .description('load a backup directory into an empty store (a new data dir, and a new database)')
    .requiredOption('--from <dir>', 'the backup directory')
    .addHelpText('after', '\nExamples:\n  verso restore --from /backups/verso-2026-11-22 --data-dir ./restored\n  DATABASE_URL=postgres://localhost/verso_new verso restore --from /backups/verso-2026-11-22')
    .action(async (opts: { from: string }, cmd: Command) => {
      const progress = progressReporter(ctx.io, 'restore');
      let report;
      try {
        // No start-up repair before the restore: the store is (must be) empty, and the restore
        // runs its own check afterwards.
        report = await withEmbeddedStore(cmd, 'restore', (store) => store.restore({ from: opts.from, onProgress: progress.update }), { skipReconcile: true });
      } finally {
        progress.stop();
      }
      const out = printerFor(ctx, cmd);
      out.result(report, () => {
        out.line(out.color.green(`restored backup ${report.backupSetId} from ${report.from}`));
        out.line(`  ${report.tables} tables, ${report.rows} rows; sites ${report.sites.join(', ') || '(none)'}`);
        if (report.repaired.length) {
          out.line(out.color.yellow(`  indexed ${report.repaired.length} item(s) Git had beyond the index snapshot (the backup ran during writes):`));
          for (const i of report.repaired) out.line(`    ${i.site} ${i.kind} ${i.detail}`);
        }
        out.line('fsck: clean');
      });
    });
}

/**
 * With a directory, verify needs no store; it records the result when a store is at hand (one
 * named by --data-dir/--database-url or their variables, or an existing ./.verso) and
 * --no-record was not given. Without a directory, the store's catalogue names the backup.
 */
async function verify(cmd: Command, dir: string | undefined, record: boolean, onProgress: (p: BackupProgress) => void, notices: string[]): Promise<VerifyReport> {
  if (dir === undefined) return withEmbeddedStore(cmd, 'verify without a directory', (store) => store.verifyBackup({ record, onProgress }));
  const choice = chooseStore(cmd);
  const storeAtHand = choice.kind === 'embedded' && (choice.dataDir !== undefined || choice.databaseUrl !== undefined || existsSync(resolve('.verso')));
  if (record && storeAtHand) {
    let store;
    try {
      store = await openEmbedded(cmd, 'verify');
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      notices.push(`note: the result is not recorded: ${err.message}`);
    }
    if (store) {
      try {
        return await store.verifyBackup({ dir, record, onProgress });
      } finally {
        await store.close();
      }
    }
  }
  const { checkBackupDir } = await import('../../ops/backup/verify.js');
  return (await checkBackupDir({ dir, onProgress })).report;
}

function printVerify(out: Printer, report: VerifyReport): void {
  const c = out.color;
  for (const w of report.warnings) out.line(c.yellow(`warning: ${w.file} ${w.reason}`));
  for (const f of report.failures) out.line(c.red(`FAILED ${f.file}: ${f.reason}`));
  const counts = `${report.files} files, ${report.rows} rows, ${report.bundles} bundle${report.bundles === 1 ? '' : 's'}`;
  const recorded = report.recorded ? `; recorded ${report.recorded} verification(s)` : '';
  if (report.ok) out.line(c.green(`verify ${report.dir}: ok (${counts})${recorded}`));
  else out.line(c.red(`verify ${report.dir}: ${report.failures.length} failure(s) (${counts})${recorded}`));
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let n = bytes / 1024;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n.toFixed(1)} ${units[u]}`;
}

function quoteArg(s: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A bar per phase on a terminal; otherwise one line each time the table, site or file changes. */
function progressReporter(io: Io, command: string): { update: (p: BackupProgress) => void; stop: () => void } {
  if (io.stderr.isTTY && !io.env.CI) {
    const bar = new cliProgress.SingleBar(
      { format: `${command} {phase} [{bar}] {value}/{total} {item}`, stream: io.stderr as NodeJS.WritableStream, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let phase: string | undefined;
    return {
      update(p) {
        const payload = { phase: p.phase, item: p.item ?? '' };
        if (p.phase !== phase) {
          if (phase !== undefined) bar.stop();
          bar.start(Math.max(p.total, 1), p.done, payload);
          phase = p.phase;
        } else {
          bar.setTotal(Math.max(p.total, 1));
          bar.update(p.done, payload);
        }
      },
      stop: () => phase !== undefined && bar.stop(),
    };
  }
  let phase: string | undefined;
  return {
    update(p) {
      if (p.phase === phase) return;
      phase = p.phase;
      io.stderr.write(`${command}: ${PHASES[p.phase]}\n`);
    },
    stop: () => undefined,
  };
}

const PHASES: Record<BackupProgress['phase'], string> = {
  database: 'dumping the index (one snapshot)',
  repositories: 'bundling the repositories',
  verify: 'checking every file against the manifest',
  restore: 'restoring the repositories and the index',
};
