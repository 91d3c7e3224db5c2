/** integrations / deleteIntegration: settings only, secrets never leave the store. */
import { deleteIntegrationRow, listIntegrationRows } from '../../db/queries/integrations.js';
import type { Integration } from '../../types.js';
import type { OpContext, SiteRef } from '../context.js';
import { requireIntegration, secretFlags, toIntegration } from './load.js';

export async function listIntegrations({ ctx, site }: { ctx: OpContext; site: SiteRef }): Promise<Integration[]> {
  return (await listIntegrationRows(ctx.knex, site.id)).map((row) => {
    const f = secretFlags(row);
    return toIntegration(row, f.hasWebhookSecret, f.hasToken);
  });
}

/** Deletes the integration and its mappings; the remote repository is left as it is. */
export async function deleteIntegration({ ctx, site, name }: { ctx: OpContext; site: SiteRef; name: string }): Promise<void> {
  const row = await requireIntegration(ctx.knex, site, name);
  await deleteIntegrationRow(ctx.knex, site.id, row.name);
}
