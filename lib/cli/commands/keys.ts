/**
 * `verso keys create|list|revoke`: API keys for the gateway. A key is shown once, when created;
 * the store keeps only its hash. Works on the embedded store, and with `--remote` and an admin
 * key too (a running `verso serve` holds the embedded data dir, so that is the way to make a
 * key while it runs).
 */
import { Command, Option } from 'commander';
import type { Role } from '../../types.js';
import { printerFor, type CliContext } from '../context.js';
import { age } from '../output.js';
import { withStore } from '../store.js';

export function registerKeys(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('create, list and revoke API keys');

  keys
    .command('create')
    .description('create an API key and print it (once: only its hash is kept)')
    .addOption(new Option('--role <role>', 'what the key may do').choices(['admin', 'editor', 'viewer', 'integration']).makeOptionMandatory())
    .option('--site <id>', 'limit the key to one site')
    .option('--name <name>', 'a label to recognise the key by')
    .addHelpText('after', '\nExamples:\n  verso keys create --role admin --name ops\n  verso keys create --role editor --site acme --name "Acme editors" --json')
    .action(async (opts: { role: Role; site?: string; name?: string }, cmd: Command) => {
      const input = { role: opts.role, ...(opts.site ? { site: opts.site } : {}), ...(opts.name ? { name: opts.name } : {}) };
      const created = await withStore(cmd, (store) => store.createKey(input));
      const out = printerFor(ctx, cmd);
      out.result(created, () => {
        out.line(`created ${created.role} key ${created.id}${created.site ? ` for site ${created.site}` : ''}`);
        out.line(out.color.bold(created.key));
        ctx.io.stderr.write('This key is shown once: store it now (e.g. VERSO_API_KEY).\n');
      });
    });

  keys
    .command('list')
    .description('list API keys (never the keys themselves)')
    .addHelpText('after', '\nExample:\n  verso keys list')
    .action(async (_opts: object, cmd: Command) => {
      const list = await withStore(cmd, (store) => store.listKeys());
      const out = printerFor(ctx, cmd);
      out.result({ items: list }, () => {
        if (!list.length) return out.line('no keys yet: verso keys create --role admin');
        const now = new Date();
        out.table(
          ['ID', 'ROLE', 'SITE', 'NAME', 'CREATED', 'LAST USED'],
          list.map((k) => [k.id, k.role, k.site ?? '*', k.name ?? '', age(k.createdAt, now), k.lastUsedAt ? age(k.lastUsedAt, now) : 'never']),
        );
      });
    });

  keys
    .command('revoke')
    .description('revoke an API key; requests with it are refused from now on')
    .argument('<id>', 'the key id (from keys list)')
    .addHelpText('after', '\nExample:\n  verso keys revoke 01JB2W6T1X8S9QZ3M4N5P6R7S8')
    .action(async (id: string, _opts: object, cmd: Command) => {
      await withStore(cmd, (store) => store.revokeKey(id));
      const out = printerFor(ctx, cmd);
      out.result({ revoked: id }, () => out.line(`revoked key ${id}`));
    });
}
