/** `verso comment`, `verso comments`, `verso resolve`: review comments on versions. */
import { Command } from 'commander';
import { ValidationError } from '../../errors/index.js';
import type { Comment, CommentInput } from '../../types.js';
import { printerFor, type CliContext } from '../context.js';
import { parseDocAddress, parseRef } from '../options.js';
import { columns, oneLine, type Palette } from '../output.js';
import { callerFrom } from '../reviewAuthor.js';
import { withStore } from '../store.js';

const TYPES = ['comment', 'suggestion', 'approval', 'change_request'] as const;

/** `--lines 3` or `--lines 3-5` as an anchor. */
function parseLines(value: string): { startLine: number; endLine: number } {
  const m = /^([1-9][0-9]{0,8})(?:-([1-9][0-9]{0,8}))?$/.exec(value);
  if (!m) throw new ValidationError('--lines must be N or A-B (line numbers from 1)', { field: 'anchor' });
  return { startLine: Number(m[1]), endLine: Number(m[2] ?? m[1]) };
}

function describe(c: Comment, color: Palette): string[] {
  const flags = [c.resolved ? color.green('resolved') : '', c.stale ? color.yellow('stale') : ''].filter(Boolean).join(' ');
  const where = c.anchor ? `lines ${c.anchor.startLine}-${c.anchor.endLine}` : '';
  return [c.id, `v${c.versionNumber}`, c.type, c.author.name, where, flags, oneLine(c.body)];
}

export function registerComments(program: Command, ctx: CliContext): void {
  program
    .command('comment')
    .description('comment on a version (optionally on some of its lines, or as a reply)')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .argument('<ref>', 'the version: number, commit hash, draft, published, tag:<semver>, label:<name>, …')
    .requiredOption('-m, --message <body>', 'the comment')
    .option('--type <type>', `one of ${TYPES.join(', ')}`, 'comment')
    .option('--lines <a-b>', 'anchor the comment to these lines')
    .option('--reply <id>', 'reply to this comment')
    .option('--author <name>', 'your name (default: your user name)')
    .option('--email <email>', 'your email (with --author)')
    .addHelpText('after', '\nExamples:\n  verso comment acme prd/payments 3 -m "Refunds need a limit" --type change_request --lines 12-14')
    .action(async (site: string, docArg: string, ref: string, opts: { message: string; type: string; lines?: string; reply?: string; author?: string; email?: string }, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const input: CommentInput = {
        body: opts.message,
        author: callerFrom(opts),
        type: opts.type as CommentInput['type'],
        ...(opts.lines ? { anchor: parseLines(opts.lines) } : {}),
        ...(opts.reply ? { parentId: opts.reply } : {}),
      };
      const comment = await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).comment(parseRef(ref), input));
      const out = printerFor(ctx, cmd);
      out.result(comment, () => out.line(`commented on ${site} ${docArg} version ${comment.versionNumber}: ${comment.id}`));
    });

  program
    .command('comments')
    .description("list a version's comments (default: the current draft); --all lists every version's, flagged stale against REF")
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .argument('[ref]', 'the version', 'draft')
    .option('--all', "every version's comments")
    .addHelpText('after', '\nExamples:\n  verso comments acme prd/payments\n  verso comments acme prd/payments 3 --all --json')
    .action(async (site: string, docArg: string, ref: string, opts: { all?: boolean }, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const comments = await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).comments(parseRef(ref), opts.all ? { all: true } : undefined));
      const out = printerFor(ctx, cmd);
      out.result(comments, () => {
        if (!comments.length) out.line('no comments');
        for (const line of columns(comments.map((c) => describe(c, out.color)))) out.line(line);
      });
    });

  program
    .command('resolve')
    .description('resolve a comment (or reopen it with --reopen)')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .argument('<id>', 'comment id')
    .option('--reopen', 'reopen instead')
    .option('--author <name>', 'who resolves it (default: your user name)')
    .option('--email <email>', 'email (with --author)')
    .addHelpText('after', '\nExamples:\n  verso resolve acme prd/payments 01JD3Q8K6V5W2X9Y7Z4A1B0C3D')
    .action(async (site: string, docArg: string, id: string, opts: { reopen?: boolean; author?: string; email?: string }, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const comment = await withStore(cmd, (store) =>
        store.site(site).doc(doc.type, doc.key, doc.locale).resolveComment(id, { resolved: !opts.reopen, author: callerFrom(opts) }),
      );
      const out = printerFor(ctx, cmd);
      out.result(comment, () => out.line(`${comment.resolved ? 'resolved' : 'reopened'} comment ${comment.id} on ${site} ${docArg}`));
    });
}
