/** `verso show`: the content of one version (with --json, the whole version). */
import { Command } from 'commander';
import { printerFor, type CliContext } from '../context.js';
import { parseDocAddress, parseRef } from '../options.js';
import { printText } from '../output.js';
import { withStore } from '../store.js';

export function registerShow(program: Command, ctx: CliContext): void {
  program
    .command('show')
    .description('print the content of a version')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .argument('<ref>', 'version number, commit hash (7+ hex), draft, published or a branch name')
    .addHelpText('after', '\nExamples:\n  verso show acme page/home/en 3\n  verso show acme page/home/en published\n  verso show acme page/home/en a1b2c3d --json')
    .action(async (site: string, docArg: string, ref: string, _opts: object, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const version = await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).show(parseRef(ref)));
      const out = printerFor(ctx, cmd);
      out.result(version, () => {
        const { content } = version;
        printText(ctx.io, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      });
    });
}
