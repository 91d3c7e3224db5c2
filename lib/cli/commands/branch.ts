/** `verso branch list|create|delete`: a site's lines of work. */
import { Command } from 'commander';
import { printerFor, type CliContext } from '../context.js';
import { age } from '../output.js';
import { withStore } from '../store.js';
import { shortCommit } from '../versions.js';

export function registerBranch(program: Command, ctx: CliContext): void {
  const branch = program.command('branch').description('list, create and delete branches of a site');

  branch
    .command('list')
    .description('list the branches of a site (main and published are verso\'s own)')
    .argument('<site>', 'site id')
    .addHelpText('after', '\nExample:\n  verso branch list acme')
    .action(async (site: string, _opts: object, cmd: Command) => {
      const branches = await withStore(cmd, (store) => store.site(site).branches());
      const out = printerFor(ctx, cmd);
      out.result({ items: branches }, () => {
        if (!branches.length) return out.line('no branches yet: save a document first');
        out.table(['NAME', 'HEAD', 'CREATED'], branches.map((b) => [b.name, out.color.cyan(shortCommit(b.head)), age(b.createdAt)]));
      });
    });

  branch
    .command('create')
    .description('create a branch at the head of another (default main)')
    .argument('<site>', 'site id')
    .argument('<name>', 'branch name (a slug)')
    .option('--from <branch>', 'start from this branch', 'main')
    .addHelpText('after', '\nExample:\n  verso branch create acme spring-campaign --from main')
    .action(async (site: string, name: string, opts: { from: string }, cmd: Command) => {
      const created = await withStore(cmd, (store) => store.site(site).createBranch(name, { from: opts.from }));
      const out = printerFor(ctx, cmd);
      out.result(created, () => out.line(`created branch ${out.color.bold(created.name)} at ${out.color.cyan(shortCommit(created.head))} (from ${opts.from})`));
    });

  branch
    .command('delete')
    .description('delete a branch (its commits stay reachable for reindex)')
    .argument('<site>', 'site id')
    .argument('<name>', 'branch name')
    .addHelpText('after', '\nExample:\n  verso branch delete acme spring-campaign')
    .action(async (site: string, name: string, _opts: object, cmd: Command) => {
      await withStore(cmd, (store) => store.site(site).deleteBranch(name));
      const out = printerFor(ctx, cmd);
      out.result({ deleted: name }, () => out.line(`deleted branch ${name}`));
    });
}
