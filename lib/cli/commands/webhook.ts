/** `verso webhook add|list|enable|disable|remove|deliveries|redeliver`: a site's webhooks (admin). */
import type { Command } from 'commander';
import { printerFor, type CliContext } from '../context.js';
import { age } from '../output.js';
import { withStore } from '../store.js';

export function registerWebhook(program: Command, ctx: CliContext): void {
  const webhook = program.command('webhook').description('manage the webhooks of a site');
  webhook
    .command('add')
    .description('subscribe a URL to the site\'s change events; prints the signing secret once')
    .argument('<site>', 'site id')
    .argument('<url>', 'the receiver (http or https)')
    .option('--events <actions>', 'comma-separated actions (default: every action)')
    .addHelpText('after', '\nExamples:\n  verso webhook add acme https://hooks.example.com/verso --events version.publish,version.unpublish')
    .action(async (site: string, url: string, opts: { events?: string }, cmd: Command) => {
      const events = opts.events?.split(',').map((e) => e.trim()).filter(Boolean);
      const created = await withStore(cmd, (store) => store.site(site).createWebhook({ url, ...(events ? { events } : {}) }));
      const out = printerFor(ctx, cmd);
      out.result(created, () => {
        out.line(`webhook ${created.id} → ${created.url} (${created.events.join(', ')})`);
        out.line(`secret: ${created.secret}`);
        out.line(out.color.dim('the secret is shown only now; verify deliveries with it (Standard Webhooks)'));
      });
    });
  webhook
    .command('list')
    .description('list the webhooks of a site')
    .argument('<site>', 'site id')
    .action(async (site: string, _opts: unknown, cmd: Command) => {
      const items = await withStore(cmd, (store) => store.site(site).webhooks());
      const out = printerFor(ctx, cmd);
      out.result({ items }, () => {
        if (!items.length) return out.line('no webhooks');
        const now = new Date();
        out.table(['ID', 'URL', 'EVENTS', 'STATE', 'AGE'], items.map((w) => [w.id, w.url, w.events.join(','), w.disabled ? out.color.red('disabled') : 'active', age(w.createdAt, now)]));
      });
    });
  for (const [name, disabled, description] of [
    ['enable', false, 're-enable a webhook (after a run of failed deliveries disabled it); its failure count starts again'],
    ['disable', true, 'stop delivering to a webhook until it is enabled again'],
  ] as const) {
    webhook
      .command(name)
      .description(description)
      .argument('<site>', 'site id')
      .argument('<id>', 'webhook id')
      .action(async (site: string, id: string, _opts: unknown, cmd: Command) => {
        const updated = await withStore(cmd, (store) => store.site(site).updateWebhook(id, { disabled }));
        const out = printerFor(ctx, cmd);
        out.result(updated, () => out.line(`webhook ${updated.id} is ${updated.disabled ? 'disabled' : 'active'}`));
      });
  }
  webhook
    .command('remove')
    .description('delete a webhook and its deliveries')
    .argument('<site>', 'site id')
    .argument('<id>', 'webhook id')
    .action(async (site: string, id: string, _opts: unknown, cmd: Command) => {
      await withStore(cmd, (store) => store.site(site).deleteWebhook(id));
      const out = printerFor(ctx, cmd);
      out.result({ deleted: id }, () => out.line(`deleted webhook ${id}`));
    });
  webhook
    .command('deliveries')
    .description('the deliveries of a webhook, newest first')
    .argument('<site>', 'site id')
    .argument('<id>', 'webhook id')
    .action(async (site: string, id: string, _opts: unknown, cmd: Command) => {
      const page = await withStore(cmd, (store) => store.site(site).deliveries(id));
      const out = printerFor(ctx, cmd);
      out.result(page, () => {
        if (!page.items.length) return out.line('no deliveries');
        out.table(['ID', 'ACTION', 'STATUS', 'ATTEMPTS', 'LAST'], page.items.map((d) => [d.id, d.action, d.status, String(d.attempts), d.lastStatus !== undefined ? String(d.lastStatus) : (d.history.at(-1)?.error ?? '')]));
      });
    });
  webhook
    .command('redeliver')
    .description('send a delivery again')
    .argument('<site>', 'site id')
    .argument('<delivery>', 'delivery id')
    .action(async (site: string, id: string, _opts: unknown, cmd: Command) => {
      const d = await withStore(cmd, (store) => store.site(site).redeliver(id));
      const out = printerFor(ctx, cmd);
      out.result(d, () => out.line(`delivery ${d.id} is pending again`));
    });
}
