/** `verso save`: a new version of a document from a file or standard input. */
import { Command, Option } from 'commander';
import type { Format, SaveInput } from '../../types.js';
import { formatOfFile, readBody } from '../content.js';
import { printerFor, type CliContext } from '../context.js';
import { parseDocAddress, parseRef } from '../options.js';
import { withStore } from '../store.js';
import { addressOf, authorFrom, describeVersion } from '../versions.js';

interface SaveOptions {
  file?: string;
  message?: string;
  format?: Format;
  author?: string;
  email?: string;
  branch?: string;
  kind?: 'draft' | 'autosave';
  source?: 'user' | 'ai_generation' | 'ai_edit';
  base?: string;
}

export function registerSave(program: Command, ctx: CliContext): void {
  program
    .command('save')
    .description('save a new version of a document (content from --file, or standard input)')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE (default: the site\'s locale)')
    .option('-f, --file <path>', 'read the content from this file ("-": standard input)')
    .option('-m, --message <msg>', 'what changed')
    .addOption(new Option('--format <format>', 'content format (default: the document\'s, else from the file extension, else text)').choices(['json', 'markdown', 'text']))
    .option('--author <name>', 'author name')
    .option('--email <email>', 'author email (with --author)')
    .option('--branch <name>', 'save on this branch (default main)')
    .addOption(new Option('--kind <kind>', 'kind of version').choices(['draft', 'autosave']).default(undefined, 'draft'))
    .addOption(new Option('--source <source>', 'who wrote it').choices(['user', 'ai_generation', 'ai_edit']))
    .option('--base <ref>', 'refuse (conflict) if the document moved past this version')
    .addHelpText(
      'after',
      `
Examples:
  verso save acme page/home/en --file home.json -m "New headline" --author "Ann Lee" --email ann@acme.com
  cat prd.md | verso save acme prd/search/en --format markdown -m "Scope"
  verso save acme page/home/en --file home.json --base 3      # conflict if someone saved after 3`,
    )
    .action(async (site: string, docArg: string, opts: SaveOptions, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const author = authorFrom(opts);
      const content = await readBody({ io: ctx.io, file: opts.file });
      const format = opts.format ?? formatOfFile(opts.file);
      const input: SaveInput = {
        content,
        ...(format ? { format } : {}),
        ...(opts.message !== undefined ? { message: opts.message } : {}),
        ...(author ? { author } : {}),
        ...(opts.branch ? { branch: opts.branch } : {}),
        ...(opts.kind ? { kind: opts.kind } : {}),
        ...(opts.source ? { source: opts.source } : {}),
        ...(opts.base !== undefined ? { baseVersion: parseRef(opts.base) } : {}),
      };
      const version = await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).save(input));
      const out = printerFor(ctx, cmd);
      out.result(version, () => out.line(`saved ${site} ${addressOf(version)} ${describeVersion(version, out.color)}`));
    });
}
