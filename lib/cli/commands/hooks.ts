/**
 * `verso hooks install SITE [--repo PATH]`: verso's git hooks.
 * - Without --repo: the site's own repository gets pre-receive (refuses pushes that break the
 *   document layout) and post-receive (indexes what was pushed). The gateway installs these
 *   itself; this is for repositories pushed to directly, before the gateway has run.
 * - With --repo: a working clone gets post-commit (each commit is synced into the site and
 *   indexed).
 * While `verso serve` holds the embedded database, the server does the install.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { installSiteHooks, installWorkingHooks } from '../../../hooks/install.js';
import { callLocalServer } from '../../ops/localServer.js';
import { printerFor, type CliContext } from '../context.js';
import { ValidationError } from '../../errors/index.js';
import { chooseStore } from '../options.js';
import { withEmbeddedStore } from '../store.js';

interface InstallOptions {
  repo?: string;
}

interface Installed {
  site: string;
  gitDir: string;
  installed: string[];
  skipped?: string[];
}

export function registerHooks(program: Command, ctx: CliContext): void {
  const hooks = program.command('hooks').description("install verso's git hooks");
  hooks
    .command('install')
    .description("install pre-receive and post-receive in a site's repository, or post-commit in a working clone (--repo)")
    .argument('<site>', 'site id')
    .option('--repo <path>', 'a working clone to give the post-commit hook (default: the site repository itself)')
    .addHelpText('after', '\nExamples:\n  verso hooks install acme\n  git clone .verso/repos/acme.git acme-content && verso hooks install acme --repo acme-content')
    .action(async (site: string, opts: InstallOptions, cmd: Command) => {
      const choice = chooseStore(cmd);
      // The hooks live next to the repositories, on this machine: a remote cannot be given them.
      if (choice.kind === 'remote') {
        throw new ValidationError('hooks install works on the local data dir only; drop --remote (and VERSO_REMOTE), or give --data-dir', { field: 'remote' });
      }
      const dataDir = resolve(choice.kind === 'embedded' && choice.dataDir ? choice.dataDir : '.verso');
      const databaseUrl = choice.kind === 'embedded' ? choice.databaseUrl : undefined;
      let done: Installed;
      if (opts.repo) {
        const r = await installWorkingHooks({ repo: resolve(opts.repo), site, dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
        done = { site, gitDir: r.gitDir, installed: r.installed, skipped: r.skipped };
      } else {
        const viaServer = databaseUrl ? undefined : await callLocalServer<Installed>({ dataDir, path: `/git/${encodeURIComponent(site)}.git/verso/install-hooks` });
        done =
          viaServer ??
          (await withEmbeddedStore(cmd, 'hooks install', async (store) => {
            const r = await installSiteHooks({ store, site });
            return { site, gitDir: r.gitDir, installed: r.installed, skipped: r.skipped };
          }));
      }
      const out = printerFor(ctx, cmd);
      out.result(done, () => {
        out.line(`installed ${done.installed.join(', ') || 'nothing'} in ${done.gitDir}`);
        for (const s of done.skipped ?? []) out.line(out.color.yellow(`left ${s} alone: it is not verso's (merge it by hand)`));
      });
    });
}
