/** `verso rollback`: a NEW version whose content equals an older one; history is kept. */
import { Command } from 'commander';
import type { RollbackOptions } from '../../types.js';
import { printerFor, type CliContext } from '../context.js';
import { parseDocAddress, parseRef } from '../options.js';
import { withStore } from '../store.js';
import { addressOf, authorFrom, describeVersion } from '../versions.js';

interface RollbackCliOptions {
  publish?: boolean;
  message?: string;
  author?: string;
  email?: string;
}

export function registerRollback(program: Command, ctx: CliContext): void {
  program
    .command('rollback')
    .description('save a new version with the content of an older one (history is never rewritten)')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .argument('<ref>', 'the version to go back to: number, commit hash, published, …')
    .option('--publish', 'publish the new version too')
    .option('-m, --message <msg>', 'message (default "Roll back to version N")')
    .option('--author <name>', 'author name')
    .option('--email <email>', 'author email (with --author)')
    .addHelpText('after', '\nExamples:\n  verso rollback acme page/home/en 2\n  verso rollback acme page/home/en published --publish -m "Revert the launch copy"')
    .action(async (site: string, docArg: string, ref: string, opts: RollbackCliOptions, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const author = authorFrom(opts);
      const rollbackOpts: RollbackOptions = {
        ...(opts.message !== undefined ? { message: opts.message } : {}),
        ...(author ? { author } : {}),
        ...(opts.publish ? { publish: true } : {}),
      };
      const version = await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).rollback(parseRef(ref), rollbackOpts));
      const out = printerFor(ctx, cmd);
      out.result(version, () => out.line(`rolled back ${site} ${addressOf(version)} to ${ref}: new ${describeVersion(version, out.color)}`));
    });
}
