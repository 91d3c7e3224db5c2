/**
 * `verso reindex [SITE]`: rebuild the history index from Git trailers alone. A progress bar on
 * a terminal (stderr), plain progress lines otherwise, so stdout keeps only the result.
 */
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { printerFor, type CliContext } from '../context.js';
import type { Io } from '../io.js';
import { withEmbeddedStore } from '../store.js';

export function registerReindex(program: Command, ctx: CliContext): void {
  program
    .command('reindex')
    .description('rebuild the history index of a site (or every site) from Git')
    .argument('[site]', 'site id (default: every site)')
    .addHelpText('after', '\nExamples:\n  verso reindex\n  verso reindex acme --json')
    .action(async (site: string | undefined, _opts: object, cmd: Command) => {
      const progress = progressReporter(ctx.io);
      let report;
      try {
        report = await withEmbeddedStore(cmd, 'reindex', (store) => store.reindex({ ...(site ? { site } : {}), onProgress: progress.update }));
      } finally {
        progress.stop();
      }
      const out = printerFor(ctx, cmd);
      out.result(report, () =>
        out.line(`reindexed ${report.versions} versions of ${report.documents} documents (${report.sites.length ? `sites ${report.sites.join(', ')}` : 'no sites'})`),
      );
    });
}

/** onProgress is called per site with (done, total) restarting at each site. */
function progressReporter(io: Io): { update: (done: number, total: number) => void; stop: () => void } {
  if (io.stderr.isTTY && !io.env.CI) {
    const bar = new cliProgress.SingleBar(
      { format: 'reindex [{bar}] {percentage}% | {value}/{total} commits', stream: io.stderr as NodeJS.WritableStream, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let lastTotal = -1;
    return {
      update(done, total) {
        if (!started || total !== lastTotal) {
          if (started) bar.stop();
          bar.start(total, done);
          started = true;
          lastTotal = total;
        } else bar.update(done);
      },
      stop: () => started && bar.stop(),
    };
  }
  return {
    update: (done, total) => void io.stderr.write(`reindex: ${done}/${total} commits\n`),
    stop: () => undefined,
  };
}
