/** `verso search SITE QUERY`: full-text search, best matches first, with snippets. */
import type { Command } from 'commander';
import type { SearchOptions } from '../../types.js';
import { printerFor, type CliContext } from '../context.js';
import { intOption } from '../options.js';
import { withStore } from '../store.js';

interface SearchCliOptions {
  type?: string;
  locale?: string;
  published?: boolean;
  history?: boolean;
  limit?: number;
  cursor?: string;
}

/** Snippets are HTML (escaped, matches in <mark>); a terminal gets plain text, matches bold. */
function terminalSnippet(html: string, bold: (s: string) => string): string {
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return html.split(/(<mark>.*?<\/mark>)/).map((part) => (part.startsWith('<mark>') ? bold(unescape(part.slice(6, -7))) : unescape(part))).join('').replace(/\s+/g, ' ');
}

export function registerSearch(program: Command, ctx: CliContext): void {
  program
    .command('search')
    .description('full-text search over titles and bodies (current drafts unless told otherwise)')
    .argument('<site>', 'site id')
    .argument('<query>', 'words, "a phrase", -excluded, or')
    .option('--type <type>', 'only this document type')
    .option('--locale <locale>', 'only this locale')
    .option('--published', 'search the published versions')
    .option('--history', 'search every version')
    .option('-n, --limit <n>', 'hits per page (1-100, default 20)', intOption('limit', 1, 100))
    .option('--cursor <cursor>', 'the next page, as printed at the end of the previous one')
    .addHelpText('after', '\nExamples:\n  verso search acme "pricing plans"\n  verso search acme zeppelin --history --json')
    .action(async (site: string, query: string, opts: SearchCliOptions, cmd: Command) => {
      const search: SearchOptions = {
        ...(opts.type ? { type: opts.type } : {}),
        ...(opts.locale ? { locale: opts.locale } : {}),
        ...(opts.published ? { state: 'published' as const } : {}),
        ...(opts.history ? { history: true } : {}),
        ...(opts.limit ? { limit: opts.limit } : {}),
        ...(opts.cursor ? { cursor: opts.cursor } : {}),
      };
      const page = await withStore(cmd, (store) => store.site(site).search(query, search));
      const out = printerFor(ctx, cmd);
      out.result(page, () => {
        if (!page.items.length) return out.line('no matches');
        const c = out.color;
        for (const h of page.items) {
          out.line(`${c.cyan(`${h.doc.type}/${h.doc.key}/${h.doc.locale}`)} v${h.versionNumber}  ${c.dim(h.rank.toFixed(3))}`);
          out.line(`  ${terminalSnippet(h.snippet, c.bold)}`);
        }
        if (page.next) out.line(c.dim(`more: verso search ${site} ${JSON.stringify(query)} --cursor ${page.next}`));
      });
    });
}
