/** `verso preview`, `verso unpublish`, `verso archive`. */
import { Command } from 'commander';
import { ValidationError } from '../../errors/index.js';
import type { PreviewOptions, Store } from '../../types.js';
import { printerFor, type CliContext } from '../context.js';
import { parseDocAddress, parseRef } from '../options.js';
import { columns } from '../output.js';
import { withStore } from '../store.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90`, `45s`, `30m`, `1h`, `7d` as seconds. */
export function parseDuration(value: string): number {
  const m = /^([1-9][0-9]{0,7})([smhd]?)$/.exec(value.trim());
  if (!m) throw new ValidationError('--expires must be seconds or a number with s, m, h or d (e.g. 1h)', { field: 'expiresIn' });
  return Number(m[1]) * UNITS[m[2] || 's']!;
}

function parseCount(value: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(value)) throw new ValidationError('--max-uses must be a positive whole number', { field: 'maxUses' });
  return Number(value);
}

export function registerPreviews(program: Command, ctx: CliContext): void {
  program
    .command('preview')
    .description('create a preview link to a version (draft: it follows the current draft); --list and --revoke manage the links')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .argument('[ref]', 'the version', 'draft')
    .option('--expires <duration>', 'how long it stays valid: 30m, 1h, 7d (default 1h)')
    .option('--max-uses <n>', 'how many times it opens')
    .option('--domain <host>', 'open only on this site domain (the link is on that host)')
    .option('--list', "list the document's links (never their tokens)")
    .option('--revoke <id>', 'revoke a link')
    .addHelpText('after', '\nExamples:\n  verso preview acme page/home 4 --expires 2h --max-uses 5\n  verso preview acme page/home --list\n  verso preview acme page/home --revoke 01JD3Q8K6V5W2X9Y7Z4A1B0C3D')
    .action(async (site: string, docArg: string, ref: string, opts: { expires?: string; maxUses?: string; domain?: string; list?: boolean; revoke?: string }, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const out = printerFor(ctx, cmd);
      const handle = (store: Store) => store.site(site).doc(doc.type, doc.key, doc.locale);
      if (opts.revoke !== undefined) {
        await withStore(cmd, (store) => handle(store).revokePreview(opts.revoke!));
        out.result({ revoked: opts.revoke }, () => out.line(`revoked preview link ${opts.revoke}`));
        return;
      }
      if (opts.list) {
        const links = await withStore(cmd, (store) => handle(store).previews());
        out.result(links, () => {
          if (!links.length) out.line('no preview links');
          const rows = links.map((l) => [l.id, l.versionNumber !== undefined ? `v${l.versionNumber}` : 'draft', l.domain ?? '', `${l.uses}${l.maxUses !== undefined ? `/${l.maxUses}` : ''} uses`, l.revoked ? 'revoked' : `expires ${l.expiresAt}`]);
          for (const line of columns(rows)) out.line(line);
        });
        return;
      }
      const options: PreviewOptions = {
        ...(opts.expires !== undefined ? { expiresIn: parseDuration(opts.expires) } : {}),
        ...(opts.maxUses !== undefined ? { maxUses: parseCount(opts.maxUses) } : {}),
        ...(opts.domain !== undefined ? { domain: opts.domain } : {}),
      };
      const link = await withStore(cmd, (store) => handle(store).preview(parseRef(ref), options));
      out.result(link, () => {
        out.line(link.url);
        out.line(`expires ${link.expiresAt} (id ${link.id}; the token is shown only now)`);
      });
    });

  program
    .command('unpublish')
    .description('take a document off the live site (a commit on the published branch)')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .action(async (site: string, docArg: string, _opts: object, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).unpublish());
      const out = printerFor(ctx, cmd);
      out.result({ unpublished: `${doc.type}/${doc.key}${doc.locale ? `/${doc.locale}` : ''}` }, () => out.line(`unpublished ${site} ${docArg}`));
    });

  program
    .command('archive')
    .description('archive a document: removed from main and published with commits, history kept (a later save brings it back)')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .action(async (site: string, docArg: string, _opts: object, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).archive());
      const out = printerFor(ctx, cmd);
      out.result({ archived: `${doc.type}/${doc.key}${doc.locale ? `/${doc.locale}` : ''}` }, () => out.line(`archived ${site} ${docArg}`));
    });
}
