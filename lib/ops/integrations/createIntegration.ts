/**
 * createIntegration: validates the settings (schema, kind-specific fields, path template, the
 * SSRF guard on the URL) before anything is written, then stores the settings in `config` and
 * the secrets, encrypted, in `secret_encrypted`. Nothing is sent to the remote here: a wrong
 * token shows on the first push, as `unauthorized` from the remote.
 */
import { insertIntegration } from '../../db/queries/integrations.js';
import { isUniqueViolation } from '../../db/pgErrors.js';
import { ConflictError, ValidationError } from '../../errors/index.js';
import { DEFAULT_GITHUB_API, parsePathTemplate, type IntegrationConfig } from '../../integrations/index.js';
import type { CreateIntegrationInput, Integration } from '../../types.js';
import { stamp, type OpContext, type SiteRef } from '../context.js';
import { depsOf } from './deps.js';
import { toIntegration } from './load.js';
import { checkInput } from '../../schemas/check.js';
import { integrationInputs } from '../../schemas/integrationInputs.js';

export interface CreateIntegrationArgs {
  ctx: OpContext;
  site: SiteRef;
  input: CreateIntegrationInput;
}

function refuse(field: string, why: string): never {
  throw new ValidationError(`${field} ${why}`, { field });
}

export async function createIntegration({ ctx, site, input }: CreateIntegrationArgs): Promise<Integration> {
  const i = checkInput<CreateIntegrationInput>(integrationInputs.createIntegration, input);
  const guard = depsOf(ctx).guard();
  const config: IntegrationConfig & { hasToken: boolean; hasWebhookSecret: boolean } = {
    kind: i.kind,
    pathTemplate: parsePathTemplate(i.pathTemplate),
    pullRequests: i.pullRequests ?? false,
    hasToken: i.token !== undefined,
    hasWebhookSecret: i.webhookSecret !== undefined,
  };
  if (i.kind === 'github') {
    if (!i.repository) refuse('repository', "is required for kind github ('owner/name')");
    if (i.url !== undefined) refuse('url', 'is for kind git; github takes repository and baseUrl');
    config.repository = i.repository;
    if (i.baseUrl !== undefined) config.baseUrl = (await guard.check(i.baseUrl, 'baseUrl')).href.replace(/\/+$/, '');
    else await guard.check(DEFAULT_GITHUB_API, 'baseUrl');
  } else {
    if (!i.url) refuse('url', 'is required for kind git (an http(s) URL of the remote)');
    for (const f of ['repository', 'baseUrl', 'pullRequests', 'webhookSecret'] as const) if (i[f] !== undefined) refuse(f, 'is for kind github only');
    config.url = (await guard.check(i.url, 'url')).href;
  }
  if (i.branch !== undefined) config.branch = i.branch;
  if (i.username !== undefined) config.username = i.username;
  const secrets: Record<string, string> = {};
  if (i.token !== undefined) secrets.token = i.token;
  if (i.webhookSecret !== undefined) secrets.webhookSecret = i.webhookSecret;
  const sealed = Object.keys(secrets).length ? await depsOf(ctx).secrets.seal(secrets) : null;
  try {
    const row = await ctx.knex.transaction(async (trx) => {
      const s = stamp(ctx);
      const created = await insertIntegration(trx, { id: ctx.newId(), site_id: site.id, kind: i.kind, name: i.name, config: JSON.stringify(config), secret_encrypted: sealed, ...s });
      return created;
    });
    return toIntegration(row, config.hasWebhookSecret, config.hasToken);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`site ${site.slug} already has an integration ${i.name}`, { integration: i.name });
    throw err;
  }
}
