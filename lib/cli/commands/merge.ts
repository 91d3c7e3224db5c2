/** `verso merge SITE SOURCE`: three-way merge of a branch, per JSON field, markdown section and text line. */
import { Command, Option } from 'commander';
import { ConflictError, ValidationError } from '../../errors/index.js';
import type { MergeConflict, MergeOptions, MergeResolution, MergeResult } from '../../types.js';
import { readBody } from '../content.js';
import { printerFor, type CliContext, type Printer } from '../context.js';
import { oneLine } from '../output.js';
import { withStore } from '../store.js';
import { shortCommit } from '../versions.js';

interface MergeCliOptions {
  into?: string;
  policy?: 'manual' | 'lww';
  dryRun?: boolean;
  message?: string;
  resolutions?: string;
}

const show = (v: unknown): string => (v === undefined ? '(absent)' : oneLine(typeof v === 'string' ? v : JSON.stringify(v), 40));

function conflictTable(out: Printer, conflicts: MergeConflict[]): void {
  out.table(['DOCUMENT', 'PATH', 'BASE', 'OURS', 'THEIRS'], conflicts.map((c) => [c.doc, c.path || '(whole document)', show(c.base), show(c.ours), show(c.theirs)]));
}

async function readResolutions(ctx: CliContext, file: string): Promise<MergeResolution[]> {
  const text = await readBody({ io: ctx.io, file });
  try {
    return JSON.parse(text) as MergeResolution[];
  } catch (err) {
    throw new ValidationError(`--resolutions ${file} is not JSON: ${(err as Error).message}`, { field: 'resolutions' }, err);
  }
}

export function registerMerge(program: Command, ctx: CliContext): void {
  program
    .command('merge')
    .description('merge a branch into another (default main): per JSON field, markdown section and text line')
    .argument('<site>', 'site id')
    .argument('<source>', 'branch to merge from')
    .option('--into <branch>', 'branch to merge into', 'main')
    .addOption(new Option('--policy <policy>', "what to do with a conflict (default: the site's policy)").choices(['manual', 'lww']))
    .option('--dry-run', 'show what would merge and every conflict; write nothing')
    .option('-m, --message <msg>', 'merge commit message')
    .option('--resolutions <file>', 'JSON list of { doc, path, take: ours|theirs|base } or { doc, path, value } (- for stdin)')
    .addHelpText('after', '\nExamples:\n  verso merge acme q3-pricing --dry-run\n  verso merge acme q3-pricing --policy lww -m "Ship Q3 pricing"\n  verso merge acme q3-pricing --resolutions picks.json')
    .action(async (site: string, source: string, opts: MergeCliOptions, cmd: Command) => {
      const out = printerFor(ctx, cmd);
      const input: MergeOptions = {
        into: opts.into,
        ...(opts.policy ? { policy: opts.policy } : {}),
        ...(opts.dryRun ? { dryRun: true } : {}),
        ...(opts.message !== undefined ? { message: opts.message } : {}),
        ...(opts.resolutions !== undefined ? { resolutions: await readResolutions(ctx, opts.resolutions) } : {}),
      };
      let r: MergeResult;
      try {
        r = await withStore(cmd, (store) => store.site(site).merge(source, input));
      } catch (err) {
        // The conflicts are the answer a person needs: list them before the error line.
        if (!out.json && err instanceof ConflictError && Array.isArray(err.data.conflicts)) conflictTable(out, err.data.conflicts as MergeConflict[]);
        throw err;
      }
      out.result(r, () => {
        if (!r.documents.length) return out.line(`nothing to merge: ${r.branch} already has everything on ${source}`);
        out.table(['DOCUMENT', 'HOW', 'POLICY', 'CONFLICTS'], r.documents.map((d) => [d.doc, d.status, d.policy, String(d.conflicts)]), { right: [3] });
        if (r.dryRun) {
          if (r.conflicts.length) {
            out.line();
            conflictTable(out, r.conflicts);
            out.line(out.color.yellow(`${r.conflicts.length} conflict(s) to resolve (--resolutions, or --policy lww); nothing written`));
          } else out.line('dry run: merges cleanly; nothing written');
          return;
        }
        out.line(`merged ${source} into ${out.color.bold(r.branch)} at ${out.color.cyan(shortCommit(r.commit ?? ''))}: ${r.versions.length} new version(s)`);
      });
    });
}
