/** updateIntegration: rotates an integration's credentials (re-encrypted with the current key). */
import { updateIntegrationRow } from '../../db/queries/integrations.js';
import type { Integration, UpdateIntegrationInput } from '../../types.js';
import { stamp, type OpContext, type SiteRef } from '../context.js';
import { depsOf } from './deps.js';
import { requireIntegration, secretsOf, toIntegration } from './load.js';
import { checkInput } from '../../schemas/check.js';
import { integrationInputs } from '../../schemas/integrationInputs.js';

export async function updateIntegration({ ctx, site, name, input }: { ctx: OpContext; site: SiteRef; name: string; input: UpdateIntegrationInput }): Promise<Integration> {
  const i = checkInput<UpdateIntegrationInput>(integrationInputs.updateIntegration, input);
  const row = await requireIntegration(ctx.knex, site, name);
  const secrets = { ...(await secretsOf(ctx, row)) } as Record<string, string>;
  if (i.token !== undefined) secrets.token = i.token;
  if (i.webhookSecret !== undefined) secrets.webhookSecret = i.webhookSecret;
  const config = { ...((typeof row.config === 'string' ? JSON.parse(row.config) : row.config) as Record<string, unknown>) };
  if (i.username !== undefined) config.username = i.username;
  config.hasToken = secrets.token !== undefined;
  config.hasWebhookSecret = secrets.webhookSecret !== undefined;
  const sealed = Object.keys(secrets).length ? await depsOf(ctx).secrets.seal(secrets) : null;
  const updated = await updateIntegrationRow(ctx.knex, row, { config: JSON.stringify(config), secret_encrypted: sealed, ...stamp(ctx) });
  return toIntegration(updated, config.hasWebhookSecret === true, config.hasToken === true);
}
