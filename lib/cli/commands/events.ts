/**
 * `verso events SITE [--follow]`: the site's change feed, oldest first. With --follow it keeps
 * polling for new events until interrupted; with --json and --follow each event is one line
 * of JSON (newline-delimited), so a pipe sees events as they happen.
 */
import type { Command } from 'commander';
import type { ChangeEvent } from '../../types.js';
import { printerFor, type CliContext } from '../context.js';
import { intOption } from '../options.js';
import { oneLine } from '../output.js';
import { withStore } from '../store.js';

interface EventsCliOptions {
  after?: string;
  limit?: number;
  follow?: boolean;
  interval?: number;
}

const describe = (e: ChangeEvent) => [e.type && e.key ? `${e.type}/${e.key}/${e.locale}` : '', e.versionNumber !== undefined ? `v${e.versionNumber}` : ''].filter(Boolean).join(' ');
const who = (e: ChangeEvent) => e.actor?.name ?? e.actor?.keyId ?? '';

export function registerEvents(program: Command, ctx: CliContext): void {
  program
    .command('events')
    .description('list a site\'s change events, oldest first; --follow keeps watching')
    .argument('<site>', 'site id')
    .option('--after <id>', 'only events after this event id')
    .option('-n, --limit <n>', 'events per page (1-1000, default 100)', intOption('limit', 1, 1000))
    .option('-f, --follow', 'keep polling for new events until interrupted')
    .option('--interval <ms>', 'how often --follow polls (default 1000)', intOption('interval', 50, 60_000))
    .addHelpText('after', '\nExamples:\n  verso events acme\n  verso events acme --follow --json | jq .action')
    .action(async (site: string, opts: EventsCliOptions, cmd: Command) => {
      const out = printerFor(ctx, cmd);
      const c = out.color;
      const print = (e: ChangeEvent) => {
        if (out.json) ctx.io.stdout.write(JSON.stringify(e) + '\n');
        else out.line(`${c.dim(e.id)}  ${e.createdAt}  ${c.cyan(e.action.padEnd(18))} ${describe(e).padEnd(28)} ${oneLine(who(e), 30)}`);
      };
      await withStore(cmd, async (store) => {
        const feed = store.site(site);
        if (!opts.follow) {
          const page = await feed.events({ ...(opts.after ? { after: opts.after } : {}), ...(opts.limit ? { limit: opts.limit } : {}) });
          out.result(page, () => {
            if (!page.items.length) return out.line('no events');
            page.items.forEach(print);
            if (page.next) out.line(c.dim(`more: verso events ${site} --after ${page.next}`));
          });
          return;
        }
        let after = opts.after;
        let stopped = false;
        let wake: (() => void) | undefined;
        const stopListening = ctx.io.onShutdownSignal(() => {
          stopped = true;
          wake?.();
        });
        try {
          while (!stopped) {
            const page = await feed.events({ ...(after ? { after } : {}), limit: opts.limit ?? 1000 });
            for (const e of page.items) {
              print(e);
              after = e.id;
            }
            if (page.next) continue;
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, opts.interval ?? 1000);
            });
          }
        } finally {
          stopListening();
        }
      });
    });
}
