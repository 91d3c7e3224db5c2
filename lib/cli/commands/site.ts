/** `verso site create|list`: the sites of a store. */
import { Command } from 'commander';
import type { CreateSiteInput } from '../../types.js';
import { printerFor, type CliContext } from '../context.js';
import { listOption } from '../options.js';
import { age } from '../output.js';
import { withStore } from '../store.js';

interface CreateOptions {
  name: string;
  locales?: string[];
  defaultLocale?: string;
  domains?: string[];
}

export function registerSite(program: Command, ctx: CliContext): void {
  const site = program.command('site').description('create and list sites');

  site
    .command('create')
    .description('create a site (its id is a slug and becomes its Git repository name)')
    .argument('<id>', 'site id: a-z, 0-9 and inner hyphens')
    .requiredOption('--name <name>', 'display name')
    .option('--locales <list>', 'comma-separated locales, e.g. en,fr', listOption)
    .option('--default-locale <locale>', 'locale used when a document address has none (default: the first)')
    .option('--domains <list>', 'comma-separated domains, e.g. acme.com,www.acme.com', listOption)
    .addHelpText('after', '\nExample:\n  verso site create acme --name "Acme" --locales en,fr --domains acme.com')
    .action(async (id: string, opts: CreateOptions, cmd: Command) => {
      const input: CreateSiteInput = {
        id,
        name: opts.name,
        ...(opts.locales ? { locales: opts.locales } : {}),
        ...(opts.defaultLocale ? { defaultLocale: opts.defaultLocale } : {}),
        ...(opts.domains ? { domains: opts.domains } : {}),
      };
      const created = await withStore(cmd, (store) => store.createSite(input));
      const out = printerFor(ctx, cmd);
      out.result(created, () =>
        out.line(`created site ${out.color.bold(created.id)} "${created.name}" (locales ${created.locales.join(', ')}; default ${created.defaultLocale})`),
      );
    });

  site
    .command('list')
    .description('list the sites')
    .addHelpText('after', '\nExample:\n  verso site list --json')
    .action(async (_opts: object, cmd: Command) => {
      const sites = await withStore(cmd, (store) => store.listSites());
      const out = printerFor(ctx, cmd);
      out.result({ items: sites }, () => {
        if (!sites.length) return out.line('no sites yet: verso site create ID --name NAME');
        out.table(
          ['ID', 'NAME', 'LOCALES', 'DOMAINS', 'CREATED'],
          sites.map((s) => [s.id, s.name, s.locales.map((l) => (l === s.defaultLocale ? `${l}*` : l)).join(','), s.domains.join(',') || '-', age(s.createdAt)]),
        );
      });
    });
}
