/** `verso publish`: make a version the live one (default: the current draft). */
import { Command } from 'commander';
import { printerFor, type CliContext } from '../context.js';
import { parseDocAddress, parseRef } from '../options.js';
import { withStore } from '../store.js';
import { addressOf, describeVersion } from '../versions.js';

export function registerPublish(program: Command, ctx: CliContext): void {
  program
    .command('publish')
    .description('publish a version of a document (default: its current draft)')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .argument('[ref]', 'version number, commit hash, draft, published or a branch name', 'draft')
    .addHelpText('after', '\nExamples:\n  verso publish acme page/home/en\n  verso publish acme page/home/en 3')
    .action(async (site: string, docArg: string, ref: string, _opts: object, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const version = await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).publish(parseRef(ref)));
      const out = printerFor(ctx, cmd);
      out.result(version, () => out.line(`published ${site} ${addressOf(version)} ${describeVersion(version, out.color)}`));
    });
}
