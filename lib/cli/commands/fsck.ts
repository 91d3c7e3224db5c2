/**
 * `verso fsck [--repair]`: compare Git with the index and report drift (commits not indexed,
 * flags out of line with the published branch, stale ref locks). The store is opened without
 * its usual start-up repair so that fsck sees the drift as it is; `--repair` fixes it.
 * Exit status 1 while issues remain unrepaired.
 */
import { Command } from 'commander';
import { printerFor, type CliContext } from '../context.js';
import { EXIT_FAILURE } from '../errors.js';
import { withEmbeddedStore } from '../store.js';

export function registerFsck(program: Command, ctx: CliContext): void {
  program
    .command('fsck')
    .description('check the index against Git; --repair fixes what it finds')
    .option('--repair', 'index missing commits and realign flags')
    .option('--site <id>', 'check one site only')
    .addHelpText('after', '\nExamples:\n  verso fsck\n  verso fsck --repair --json')
    .action(async (opts: { repair?: boolean; site?: string }, cmd: Command) => {
      const repair = opts.repair === true;
      const report = await withEmbeddedStore(cmd, 'fsck', (store) => store.reconcile({ repair, full: true, ...(opts.site ? { site: opts.site } : {}) }), { skipReconcile: true });
      const out = printerFor(ctx, cmd);
      const unrepaired = report.issues.filter((i) => !i.repaired).length;
      out.result(report, () => {
        const c = out.color;
        if (!report.issues.length) return out.line(c.green('fsck: clean'));
        out.table(
          ['SITE', 'ISSUE', 'DETAIL', ''],
          report.issues.map((i) => [i.site, i.kind, i.detail, i.repaired ? c.green('repaired') : c.red('not repaired')]),
        );
        out.line(
          unrepaired
            ? c.red(`fsck: ${report.issues.length} issue(s), ${unrepaired} not repaired${repair ? '' : ' (run verso fsck --repair)'}`)
            : c.green(`fsck: ${report.issues.length} issue(s), all repaired`),
        );
      });
      if (unrepaired) ctx.exitCode = EXIT_FAILURE;
    });
}
