/** `verso docs`: the documents of a site, with filters. */
import { Command, Option } from 'commander';
import type { DocsFilter } from '../../types.js';
import { printerFor, type CliContext } from '../context.js';
import { intOption } from '../options.js';
import { age } from '../output.js';
import { withStore } from '../store.js';

interface DocsCliOptions {
  type?: string;
  locale?: string;
  state?: 'draft' | 'published';
  query?: string;
  limit?: number;
  cursor?: string;
}

export function registerDocs(program: Command, ctx: CliContext): void {
  program
    .command('docs')
    .description('list the documents of a site')
    .argument('<site>', 'site id')
    .option('--type <type>', 'only this type')
    .option('--locale <locale>', 'only this locale')
    .addOption(new Option('--state <state>', 'only documents with a current draft / published version').choices(['draft', 'published']))
    .option('-q, --query <text>', 'search')
    .option('-n, --limit <n>', 'documents per page (1-500, default 50)', intOption('limit', 1, 500))
    .option('--cursor <cursor>', 'the next page, as printed at the end of the previous one')
    .addHelpText('after', '\nExamples:\n  verso docs acme\n  verso docs acme --type page --state published --json')
    .action(async (site: string, opts: DocsCliOptions, cmd: Command) => {
      const filter: DocsFilter = {
        ...(opts.type ? { type: opts.type } : {}),
        ...(opts.locale ? { locale: opts.locale } : {}),
        ...(opts.state ? { state: opts.state } : {}),
        ...(opts.query ? { q: opts.query } : {}),
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
        ...(opts.cursor ? { cursor: opts.cursor } : {}),
      };
      const page = await withStore(cmd, (store) => store.site(site).docs(filter));
      const out = printerFor(ctx, cmd);
      out.result(page, () => {
        if (!page.items.length) return out.line('no documents');
        const c = out.color;
        out.table(
          ['DOCUMENT', 'FORMAT', 'LATEST', 'DRAFT', 'PUBLISHED', 'UPDATED'],
          page.items.map((d) => [
            `${d.type}/${d.key}/${d.locale}${d.archived ? c.dim(' (archived)') : ''}`,
            d.format,
            String(d.latestVersion),
            d.draftVersion === undefined ? '-' : c.yellow(String(d.draftVersion)),
            d.publishedVersion === undefined ? '-' : c.green(String(d.publishedVersion)),
            age(d.updatedAt),
          ]),
          { right: [2, 3, 4] },
        );
        if (page.next) out.line(c.dim(`more: verso docs ${site} --cursor ${page.next}`));
      });
    });
}
