/**
 * The `verso` program: global options, one registration per command file, and `run()`, which
 * turns every outcome into an exit status (0 ok, 1 failure, 2 invalid input).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { registerBackup } from './commands/backup.js';
import { registerBranch } from './commands/branch.js';
import { registerDiff } from './commands/diff.js';
import { registerDocs } from './commands/docs.js';
import { registerFsck } from './commands/fsck.js';
import { registerGc } from './commands/gc.js';
import { registerHooks } from './commands/hooks.js';
import { registerIntegration } from './commands/integration.js';
import { registerKeys } from './commands/keys.js';
import { registerLog } from './commands/log.js';
import { registerMerge } from './commands/merge.js';
import { registerPublish } from './commands/publish.js';
import { registerReindex } from './commands/reindex.js';
import { registerRollback } from './commands/rollback.js';
import { registerSave } from './commands/save.js';
import { registerServe } from './commands/serve.js';
import { registerShow } from './commands/show.js';
import { registerSite } from './commands/site.js';
import { registerSync } from './commands/sync.js';
import { registerComments } from './commands/comments.js';
import { registerLabels } from './commands/labels.js';
import { registerPreviews } from './commands/previews.js';
import { registerEvents } from './commands/events.js';
import { registerSearch } from './commands/search.js';
import { registerWebhook } from './commands/webhook.js';
import type { CliContext } from './context.js';
import { reportError } from './errors.js';
import type { Io } from './io.js';
import { addGlobalOptions } from './options.js';

/** The package version, found from this file in the source tree (lib/cli) and in dist/lib/cli. */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'verso' && pkg.version) return pkg.version;
    } catch {
      // not here: look one level up
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

export function createProgram(ctx: CliContext): Command {
  const program = new Command('verso')
    .description('verso: a content-addressed version store; every saved version is a Git commit, indexed in PostgreSQL')
    .version(packageVersion(), '-V, --version')
    .configureHelp({ showGlobalOptions: true })
    // Errors are printed by run() in verso's format; help and version go to the streams given.
    .configureOutput({
      writeOut: (s) => void ctx.io.stdout.write(s),
      writeErr: (s) => void ctx.io.stderr.write(s),
      outputError: () => undefined,
    })
    .exitOverride();
  addGlobalOptions(program);
  // Subcommands copy the settings above when created, so they are registered after them.
  registerServe(program, ctx);
  registerKeys(program, ctx);
  registerSite(program, ctx);
  registerSave(program, ctx);
  registerLog(program, ctx);
  registerShow(program, ctx);
  registerDiff(program, ctx);
  registerPublish(program, ctx);
  registerRollback(program, ctx);
  registerBranch(program, ctx);
  registerMerge(program, ctx);
  registerDocs(program, ctx);
  registerIntegration(program, ctx);
  registerReindex(program, ctx);
  registerFsck(program, ctx);
  registerGc(program, ctx);
  registerHooks(program, ctx);
  registerSync(program, ctx);
  registerBackup(program, ctx);
  registerLabels(program, ctx);
  registerComments(program, ctx);
  registerPreviews(program, ctx);
  registerEvents(program, ctx);
  registerSearch(program, ctx);
  registerWebhook(program, ctx);
  program.addHelpText(
    'after',
    `
Examples:
  verso site create acme --name "Acme" --locales en,fr
  echo '{"title":"Hello"}' | verso save acme page/home/en -m "First draft"
  verso log acme page/home/en
  verso diff acme page/home/en 1 draft
  verso publish acme page/home/en
  verso serve --port 4000`,
  );
  return program;
}

/** Whether --json was asked for, judged from argv when parsing failed before options were read. */
function wantsJson(program: Command, argv: string[]): boolean {
  if (program.opts<{ json?: boolean }>().json) return true;
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * Runs the CLI on `argv` (process.argv shape: node, script, ...args) and returns the exit status.
 * @example
 *   process.exitCode = await run(process.argv, processIo());
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const ctx: CliContext = { io, exitCode: 0 };
  const program = createProgram(ctx);
  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (err) {
    return reportError(io, err, wantsJson(program, argv));
  }
}
