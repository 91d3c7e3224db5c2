/**
 * `verso sync SITE --from <git url or path> [--branch B] [--from-branch B]`: brings commits
 * made elsewhere into a site's branch (fast-forward only) and indexes them: each changed
 * document a version with source 'git'. While `verso serve` holds the embedded database, the
 * server does the sync.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { syncInto } from '../../../hooks/viaServer.js';
import { ValidationError } from '../../errors/index.js';
import { normalizeSource } from '../../ops/sync.js';
import { printerFor, type CliContext } from '../context.js';
import { chooseStore } from '../options.js';

interface SyncOptions {
  from: string;
  branch: string;
  fromBranch?: string;
}

export function registerSync(program: Command, ctx: CliContext): void {
  program
    .command('sync')
    .description('fetch commits made in another repository into a site branch (fast-forward only) and index them')
    .argument('<site>', 'site id')
    .requiredOption('--from <repo>', 'git URL (https://, ssh://, git@host:path) or path of the repository')
    .option('--branch <name>', "the site's branch to move", 'main')
    .option('--from-branch <name>', 'the branch to take from --from (default: the same as --branch)')
    .addHelpText('after', '\nExamples:\n  verso sync acme --from https://github.com/acme/content.git\n  verso sync acme --from ../content --branch redesign --json')
    .action(async (site: string, opts: SyncOptions, cmd: Command) => {
      const choice = chooseStore(cmd);
      if (choice.kind === 'remote') throw new ValidationError('sync works on the local data dir only; drop --remote (and VERSO_REMOTE)', { field: 'remote' });
      const result = await syncInto({
        site,
        dataDir: resolve(choice.dataDir ?? '.verso'),
        ...(choice.databaseUrl ? { databaseUrl: choice.databaseUrl } : {}),
        // Resolved here: a server in another directory must see the same path.
        from: normalizeSource(opts.from),
        branch: opts.branch,
        ...(opts.fromBranch ? { fromBranch: opts.fromBranch } : {}),
      });
      const out = printerFor(ctx, cmd);
      out.result(result, () => {
        if (result.upToDate) return out.line(`${site}/${result.branch} is up to date with ${result.from}`);
        out.line(`${site}/${result.branch}: ${result.before ? result.before.slice(0, 12) : '(new)'}..${result.after.slice(0, 12)}, ${result.commits} commit(s) from ${result.from}, ${result.indexed} indexed`);
      });
    });
}
