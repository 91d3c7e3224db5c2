/** `verso log`: a document's versions, newest first, one page at a time. */
import { Command, Option } from 'commander';
import type { LogOptions } from '../../types.js';
import { printerFor, type CliContext } from '../context.js';
import { intOption, parseDocAddress } from '../options.js';
import { age, oneLine } from '../output.js';
import { withStore } from '../store.js';
import { markers, shortCommit } from '../versions.js';

interface LogCliOptions {
  limit?: number;
  cursor?: string;
  branch?: string;
  kind?: string;
}

export function registerLog(program: Command, ctx: CliContext): void {
  program
    .command('log')
    .description('list the versions of a document, newest first')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .option('-n, --limit <n>', 'versions per page (1-500, default 50)', intOption('limit', 1, 500))
    .option('--cursor <cursor>', 'the next page, as printed at the end of the previous one')
    .option('--branch <name>', 'only versions saved on this branch')
    .addOption(new Option('--kind <kind>', 'only versions of this kind').choices(['draft', 'autosave', 'rollback', 'merge']))
    .addHelpText('after', '\nExamples:\n  verso log acme page/home/en\n  verso log acme page/home/en --limit 20 --json')
    .action(async (site: string, docArg: string, opts: LogCliOptions, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const query: LogOptions = {
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
        ...(opts.cursor ? { cursor: opts.cursor } : {}),
        ...(opts.branch ? { branch: opts.branch } : {}),
        ...(opts.kind ? { kind: opts.kind } : {}),
      };
      const page = await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).log(query));
      const out = printerFor(ctx, cmd);
      out.result(page, () => {
        if (!page.items.length) return out.line('no versions');
        const c = out.color;
        const showBranch = page.items.some((v) => v.branch !== 'main');
        const now = new Date();
        out.table(
          ['#', 'COMMIT', 'KIND', 'SOURCE', ...(showBranch ? ['BRANCH'] : []), 'AUTHOR', 'AGE', 'PUBLISHED', 'MESSAGE', ''],
          page.items.map((v) => [
            String(v.number),
            c.cyan(shortCommit(v.commit)),
            v.kind,
            v.source,
            ...(showBranch ? [v.branch] : []),
            oneLine(v.author.name, 24),
            age(v.createdAt, now),
            // When it was last published (its publish commit), '-' when never.
            v.publishedAt ? age(v.publishedAt, now) : '-',
            oneLine(v.message, 60),
            markers(v, c),
          ]),
          { right: [0] },
        );
        if (page.next) out.line(c.dim(`more: verso log ${site} ${docArg} --cursor ${page.next}`));
      });
    });
}
