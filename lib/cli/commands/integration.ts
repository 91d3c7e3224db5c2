/**
 * `verso integration add|list|check|remove`, `verso push`, `verso pull`, `verso mappings`:
 * documents pushed to GitHub or any Git remote. Tokens are read from --token or, better (shell
 * history), from the VERSO_INTEGRATION_TOKEN environment variable; they are never printed.
 */
import { Command } from 'commander';
import type { CreateIntegrationInput, Mapping } from '../../types.js';
import { printerFor, type CliContext } from '../context.js';
import { parseDocAddress, parseRef } from '../options.js';
import { withStore } from '../store.js';
import { addressOf, describeVersion, shortCommit } from '../versions.js';

interface AddOpts {
  kind: 'github' | 'git';
  repository?: string;
  baseUrl?: string;
  url?: string;
  branch?: string;
  path?: string;
  pullRequests?: boolean;
  username?: string;
  token?: string;
  webhookSecret?: string;
}

function mappingRows(items: Mapping[]): string[][] {
  return items.map((m) => [m.doc, m.integration, m.path, String(m.versionNumber), shortCommit(m.remoteCommit), m.status, m.pullRequest?.url ?? '']);
}
const MAPPING_HEAD = ['DOC', 'INTEGRATION', 'PATH', 'VERSION', 'REMOTE', 'STATUS', 'PULL REQUEST'];

export function registerIntegration(program: Command, ctx: CliContext): void {
  const integration = program.command('integration').description('push documents to GitHub or any Git remote (add, update, list, check, remove)');

  integration
    .command('add')
    .description('configure an integration (admin key)')
    .argument('<site>', 'site id')
    .argument('<name>', 'integration name (a slug)')
    .requiredOption('--kind <kind>', 'github or git')
    .option('--repository <owner/name>', 'github: the repository')
    .option('--base-url <url>', 'github: API base of GitHub Enterprise Server (https://HOST/api/v3)')
    .option('--url <url>', 'git: http(s) URL of the remote')
    .option('--branch <branch>', "target branch (default: the remote's default branch)")
    .option('--path <template>', "path template, e.g. 'docs/prd/{key}.md' (default {type}/{key}/{locale}.{ext})")
    .option('--pull-requests', 'github: push to verso/<type>/<key>/<locale> and open one pull request per document')
    .option('--username <name>', 'git: HTTP Basic user name')
    .option('--token <token>', 'token (or env VERSO_INTEGRATION_TOKEN); stored encrypted')
    .option('--webhook-secret <secret>', 'github: the repository webhook secret (or env VERSO_INTEGRATION_WEBHOOK_SECRET)')
    .addHelpText('after', "\nExamples:\n  VERSO_INTEGRATION_TOKEN=github_pat_… verso integration add acme shop --kind github --repository acme/shop --path 'docs/prd/{key}.md' --pull-requests\n  verso integration add acme wiki --kind git --url https://gitlab.example.com/acme/wiki.git --username bot")
    .action(async (site: string, name: string, o: AddOpts, cmd: Command) => {
      const token = o.token ?? ctx.io.env.VERSO_INTEGRATION_TOKEN;
      const webhookSecret = o.webhookSecret ?? ctx.io.env.VERSO_INTEGRATION_WEBHOOK_SECRET;
      const input: CreateIntegrationInput = {
        name, kind: o.kind,
        ...(o.repository ? { repository: o.repository } : {}), ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}), ...(o.url ? { url: o.url } : {}),
        ...(o.branch ? { branch: o.branch } : {}), ...(o.path ? { pathTemplate: o.path } : {}), ...(o.pullRequests ? { pullRequests: true } : {}),
        ...(o.username ? { username: o.username } : {}), ...(token ? { token } : {}), ...(webhookSecret ? { webhookSecret } : {}),
      };
      const created = await withStore(cmd, (store) => store.site(site).createIntegration(input));
      const out = printerFor(ctx, cmd);
      out.result(created, () => out.line(`added integration ${out.color.bold(created.name)} (${created.kind} ${created.repository ?? created.url}) at ${created.pathTemplate}${created.hasToken ? ', token stored encrypted' : ''}`));
    });

  integration
    .command('update')
    .description('rotate the credentials of an integration (admin key)')
    .argument('<site>', 'site id')
    .argument('<name>', 'integration name')
    .option('--username <name>', 'HTTP Basic user name')
    .option('--token <token>', 'new token (or env VERSO_INTEGRATION_TOKEN)')
    .option('--webhook-secret <secret>', 'new webhook secret (or env VERSO_INTEGRATION_WEBHOOK_SECRET)')
    .action(async (site: string, name: string, o: { username?: string; token?: string; webhookSecret?: string }, cmd: Command) => {
      const token = o.token ?? ctx.io.env.VERSO_INTEGRATION_TOKEN;
      const webhookSecret = o.webhookSecret ?? ctx.io.env.VERSO_INTEGRATION_WEBHOOK_SECRET;
      const updated = await withStore(cmd, (store) =>
        store.site(site).updateIntegration(name, { ...(o.username ? { username: o.username } : {}), ...(token ? { token } : {}), ...(webhookSecret ? { webhookSecret } : {}) }),
      );
      const out = printerFor(ctx, cmd);
      out.result(updated, () => out.line(`updated the credentials of ${updated.name}`));
    });

  integration
    .command('list')
    .description('list the integrations of a site')
    .argument('<site>', 'site id')
    .action(async (site: string, _o: object, cmd: Command) => {
      const items = await withStore(cmd, (store) => store.site(site).integrations());
      const out = printerFor(ctx, cmd);
      out.result({ items }, () => {
        if (!items.length) return out.line('no integrations: verso integration add SITE NAME --kind github|git …');
        out.table(['NAME', 'KIND', 'REMOTE', 'BRANCH', 'PATH', 'PR', 'TOKEN'], items.map((i) => [i.name, i.kind, i.repository ?? i.url ?? '', i.branch ?? '(default)', i.pathTemplate, i.pullRequests ? 'yes' : 'no', i.hasToken ? 'set' : '-']));
      });
    });

  integration
    .command('check')
    .description('compare every mapped document with the remote (drift report)')
    .argument('<site>', 'site id')
    .argument('<name>', 'integration name')
    .action(async (site: string, name: string, _o: object, cmd: Command) => {
      const json = cmd.optsWithGlobals<{ json?: boolean }>().json === true;
      const items = await withStore(cmd, (store) =>
        store.site(site).checkIntegration(name, { onProgress: ({ done, total }) => void (json ? undefined : ctx.io.stderr.write(`check: ${done}/${total} documents\n`)) }),
      );
      const out = printerFor(ctx, cmd);
      out.result({ items }, () => {
        if (!items.length) return out.line(`nothing mapped by ${name} yet: verso push SITE DOC --to ${name}`);
        out.table(MAPPING_HEAD, mappingRows(items));
      });
    });

  integration
    .command('remove')
    .description('delete an integration and its mappings (the remote is left as it is)')
    .argument('<site>', 'site id')
    .argument('<name>', 'integration name')
    .action(async (site: string, name: string, _o: object, cmd: Command) => {
      await withStore(cmd, (store) => store.site(site).deleteIntegration(name));
      const out = printerFor(ctx, cmd);
      out.result({ deleted: name }, () => out.line(`removed integration ${name}`));
    });

  program
    .command('push')
    .description('push a version of a document to an integration (default: published, else the draft)')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .requiredOption('--to <name>', 'integration name')
    .option('--ref <ref>', 'version to push')
    .option('-m, --message <msg>', 'commit message (default: the version message)')
    .option('--force', 'overwrite a remote file that changed since the last push or pull')
    .addHelpText('after', '\nExample:\n  verso push acme prd/checkout-redesign/en --to shop')
    .action(async (site: string, docArg: string, o: { to: string; ref?: string; message?: string; force?: boolean }, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const m = await withStore(cmd, (store) =>
        store.site(site).doc(doc.type, doc.key, doc.locale).push(o.to, { ...(o.ref ? { ref: parseRef(o.ref) } : {}), ...(o.message ? { message: o.message } : {}), ...(o.force ? { force: true } : {}) }),
      );
      const out = printerFor(ctx, cmd);
      out.result(m, () => out.line(`pushed ${m.doc} v${m.versionNumber} to ${m.integration}:${m.branch}/${m.path} (${out.color.cyan(shortCommit(m.remoteCommit))})${m.pullRequest ? ` ${m.pullRequest.url}` : ''}`));
    });

  program
    .command('pull')
    .description('record the remote file as a new version (when only the remote changed)')
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .requiredOption('--from <name>', 'integration name')
    .option('-m, --message <msg>', 'version message')
    .action(async (site: string, docArg: string, o: { from: string; message?: string }, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const v = await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).pull(o.from, o.message ? { message: o.message } : {}));
      const out = printerFor(ctx, cmd);
      out.result(v, () => out.line(`pulled ${site} ${addressOf(v)} ${describeVersion(v, out.color)}`));
    });

  program
    .command('mappings')
    .description("a document's mappings to integrations, with their last known status")
    .argument('<site>', 'site id')
    .argument('<doc>', 'document: TYPE/KEY or TYPE/KEY/LOCALE')
    .action(async (site: string, docArg: string, _o: object, cmd: Command) => {
      const doc = parseDocAddress(docArg);
      const items = await withStore(cmd, (store) => store.site(site).doc(doc.type, doc.key, doc.locale).mappings());
      const out = printerFor(ctx, cmd);
      out.result({ items }, () => (items.length ? out.table(MAPPING_HEAD, mappingRows(items)) : out.line('not mapped to any integration')));
    });
}
