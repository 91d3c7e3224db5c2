/** `verso diff`: compare two versions as a unified diff, word changes, or JSON field changes. */
import { Command, Option } from 'commander';
import type { Diff, FieldChange } from '../../types.js';
import { printerFor, type CliContext } from '../context.js';
import { parseDocAddress, parseRef } from '../options.js';
import { printText, type Palette } from '../output.js';
import { withStore } from '../store.js';

type DiffFormat = Diff['format'];

export function registerDiff(program: Command, ctx: CliContext): void {
  program
    .command('diff')
    .description('compare two versions of a document')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .argument('<from>', 'the older version: number, commit hash, draft, published or a branch')
    .argument('<to>', 'the newer version')
    .addOption(new Option('--format <format>', 'unified lines, words, or json fields (JSON documents)').choices(['unified', 'words', 'json']).default('unified'))
    .addHelpText('after', '\nExamples:\n  verso diff acme page/home/en 1 2\n  verso diff acme page/home/en published draft --format json\n  verso diff acme prd/search/en 1 2 --format words')
    .action(async (site: string, docArg: string, from: string, to: string, opts: { format: DiffFormat }, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const diff = await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).diff(parseRef(from), parseRef(to), { format: opts.format }));
      const out = printerFor(ctx, cmd);
      out.result(diff, () => printText(ctx.io, renderDiff(diff, out.color)));
    });
}

/** The text of a diff for a terminal; colour only when the palette has it. */
export function renderDiff(diff: Diff, c: Palette): string {
  const none = `no differences between version ${diff.from.number} and version ${diff.to.number}\n`;
  if (diff.format === 'json') {
    const fields = diff.fields ?? [];
    return fields.length ? fields.map((f) => renderField(f, c)).join('\n') + '\n' : none;
  }
  if (diff.format === 'words') {
    const parts = diff.words ?? [];
    if (!parts.some((p) => p.op !== 'equal')) return none;
    // Without colour, git's --word-diff=plain markers keep the change visible in a pipe.
    return parts
      .map((p) => (p.op === 'add' ? (isPlain(c) ? `{+${p.text}+}` : c.green(p.text)) : p.op === 'remove' ? (isPlain(c) ? `[-${p.text}-]` : c.red(p.text)) : p.text))
      .join('');
  }
  const text = diff.unified ?? '';
  if (diff.stats.additions === 0 && diff.stats.deletions === 0) return none;
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('Index:') || line.startsWith('====')) return c.bold(line);
      if (line.startsWith('@@')) return c.cyan(line);
      if (line.startsWith('+')) return c.green(line);
      if (line.startsWith('-')) return c.red(line);
      return line;
    })
    .join('\n');
}

function isPlain(c: Palette): boolean {
  return c.green('x') === 'x';
}

function renderField(f: FieldChange, c: Palette): string {
  const show = (v: unknown) => JSON.stringify(v);
  const path = f.path || '(root)';
  if (f.op === 'add') return c.green(`+ ${path}: ${show(f.after)}`);
  if (f.op === 'remove') return c.red(`- ${path}: ${show(f.before)}`);
  return `${c.yellow('~')} ${path}: ${c.red(show(f.before))} → ${c.green(show(f.after))}`;
}
