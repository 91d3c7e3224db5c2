/** `verso tag`, `verso label`, `verso labels`: semver tags and movable labels of a document. */
import { Command } from 'commander';
import { ValidationError } from '../../errors/index.js';
import type { Label, Store } from '../../types.js';
import { printerFor, type CliContext } from '../context.js';
import { parseDocAddress, parseRef } from '../options.js';
import { columns, oneLine } from '../output.js';
import { callerFrom } from '../reviewAuthor.js';
import { withStore } from '../store.js';
import { shortCommit } from '../versions.js';

interface AuthorOptions {
  author?: string;
  email?: string;
}

export function registerLabels(program: Command, ctx: CliContext): void {
  program
    .command('tag')
    .description('tag a version with a semantic version (an annotated Git tag; the message is the changelog)')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .argument('<ref>', 'version number, commit hash, draft, published, branch, tag:<semver> or label:<name>')
    .argument('<name>', 'semantic version, e.g. 1.2.0')
    .option('-m, --message <msg>', 'changelog (default "Release <name>")')
    .option('--author <name>', 'tagger name (default: your user name)')
    .option('--email <email>', 'tagger email (with --author)')
    .addHelpText('after', '\nExamples:\n  verso tag acme prd/payments 7 1.2.0 -m "Adds refunds"')
    .action(async (site: string, docArg: string, ref: string, name: string, opts: AuthorOptions & { message?: string }, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const author = callerFrom(opts);
      const tag = await withStore(cmd, (store) =>
        store.site(site).doc(doc.type, doc.key, doc.locale).tag(parseRef(ref), name, { author, ...(opts.message !== undefined ? { message: opts.message } : {}) }),
      );
      const out = printerFor(ctx, cmd);
      out.result(tag, () => out.line(`tagged ${site} ${docArg} version ${tag.versionNumber} (${shortCommit(tag.commit)}) as ${out.color.bold(tag.name)}`));
    });

  program
    .command('label')
    .description('point a label (production, approved, …) at a version, or remove it; every move is a commit on the labels branch')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .argument('<name>', 'label name (a slug)')
    .argument('[ref]', 'the version to point at (required unless --remove)')
    .option('--remove', 'remove the label (its history stays)')
    .option('-m, --message <msg>', 'why it moved')
    .option('--author <name>', 'who moves it (default: your user name)')
    .option('--email <email>', 'email (with --author)')
    .addHelpText('after', '\nExamples:\n  verso label acme prompt/support-bot production 12 -m "shorter answers"\n  verso label acme prompt/support-bot staging --remove')
    .action(async (site: string, docArg: string, name: string, ref: string | undefined, opts: AuthorOptions & { message?: string; remove?: boolean }, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const author = callerFrom(opts);
      const message = opts.message !== undefined ? { message: opts.message } : {};
      const out = printerFor(ctx, cmd);
      if (opts.remove) {
        await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).removeLabel(name, { author, ...message }));
        out.result({ removed: name }, () => out.line(`removed label ${name} of ${site} ${docArg}`));
        return;
      }
      if (ref === undefined) throw new ValidationError('give the version to point the label at (or --remove)', { field: 'ref' });
      const label = await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).label(name, parseRef(ref), { author, ...message }));
      out.result(label, () => out.line(`label ${out.color.bold(label.name)} of ${site} ${docArg} -> version ${label.versionNumber} (${shortCommit(label.commit)})`));
    });

  program
    .command('labels')
    .description("list a document's labels, or with NAME that label's history (newest first: who moved it when)")
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .argument('[name]', 'show the history of this label')
    .addHelpText('after', '\nExamples:\n  verso labels acme prompt/support-bot\n  verso labels acme prompt/support-bot production --json')
    .action(async (site: string, docArg: string, name: string | undefined, _opts: object, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const out = printerFor(ctx, cmd);
      const d = (store: Store) => store.site(site).doc(doc.type, doc.key, doc.locale);
      if (name !== undefined) {
        const moves = await withStore(cmd, (store) => d(store).labelHistory(name));
        out.result(moves, () => {
          for (const line of columns(moves.map((m) => [m.at, m.by.name, `${m.from ?? '-'} -> ${m.to ?? 'removed'}`, oneLine(m.message)]))) out.line(line);
        });
        return;
      }
      const labels: Label[] = await withStore(cmd, (store) => d(store).labels());
      out.result(labels, () => {
        if (!labels.length) out.line('no labels');
        for (const line of columns(labels.map((l) => [out.color.bold(l.name), `version ${l.versionNumber}`, shortCommit(l.commit), l.movedBy.name, l.movedAt]))) out.line(line);
      });
    });
}
