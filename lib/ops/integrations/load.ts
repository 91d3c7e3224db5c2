/** Loads an integration of a site with its settings and decrypted secrets, and its remote. */
import type { Db } from '../../db/connection.js';
import { findIntegration, type IntegrationRow } from '../../db/queries/integrations.js';
import { iso } from '../../db/rows.js';
import { NotFoundError } from '../../errors/index.js';
import { DEFAULT_PATH_TEMPLATE, openRemote, type IntegrationConfig, type IntegrationRemote, type IntegrationSecrets } from '../../integrations/index.js';
import type { Integration } from '../../types.js';
import type { OpContext, SiteRef } from '../context.js';
import { depsOf } from './deps.js';
import { checkInput } from '../../schemas/check.js';
import { integrationNameSchema } from '../../schemas/integrationInputs.js';

export interface LoadedIntegration {
  row: IntegrationRow;
  config: IntegrationConfig;
  secrets: IntegrationSecrets;
  remote: IntegrationRemote;
}

export function configOf(row: IntegrationRow): IntegrationConfig {
  const c = (typeof row.config === 'string' ? JSON.parse(row.config) : row.config) as Partial<IntegrationConfig>;
  return { ...c, kind: row.kind, pathTemplate: c.pathTemplate ?? DEFAULT_PATH_TEMPLATE, pullRequests: c.pullRequests ?? false };
}

export async function secretsOf(ctx: OpContext, row: IntegrationRow): Promise<IntegrationSecrets> {
  if (!row.secret_encrypted) return {};
  return depsOf(ctx).secrets.open(Buffer.from(row.secret_encrypted));
}

export function toIntegration(row: IntegrationRow, hasWebhookSecret: boolean, hasToken: boolean): Integration {
  const c = configOf(row);
  return {
    name: row.name,
    kind: row.kind,
    ...(c.repository ? { repository: c.repository } : {}),
    ...(c.url ? { url: c.url } : {}),
    ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}),
    ...(c.branch ? { branch: c.branch } : {}),
    pathTemplate: c.pathTemplate,
    pullRequests: c.pullRequests,
    hasToken,
    hasWebhookSecret,
    createdAt: iso(row.created_at),
  };
}

/** What the row says about its secrets without decrypting them (kept in config as flags). */
export function secretFlags(row: IntegrationRow): { hasToken: boolean; hasWebhookSecret: boolean } {
  const c = (typeof row.config === 'string' ? JSON.parse(row.config) : row.config) as { hasToken?: boolean; hasWebhookSecret?: boolean };
  return { hasToken: c.hasToken === true, hasWebhookSecret: c.hasWebhookSecret === true };
}

export async function requireIntegration(db: Db, site: SiteRef, name: unknown): Promise<IntegrationRow> {
  const n = checkInput<string>(integrationNameSchema, name, { label: 'name' });
  const row = await findIntegration(db, site.id, n);
  if (!row) throw new NotFoundError(`site ${site.slug} has no integration ${n}`, { site: site.slug, integration: n });
  return row;
}

export async function loadIntegration(ctx: OpContext, site: SiteRef, name: unknown): Promise<LoadedIntegration> {
  const row = await requireIntegration(ctx.knex, site, name);
  const config = configOf(row);
  const secrets = await secretsOf(ctx, row);
  const deps = depsOf(ctx);
  // Checked again at use: a host may resolve elsewhere now, or the operator turned the switch off.
  await deps.guard().check(config.kind === 'github' ? (config.baseUrl ?? 'https://api.github.com') : config.url!, config.kind === 'github' ? 'baseUrl' : 'url');
  const remote = openRemote(deps, { siteId: site.id, integrationId: row.id, config, secrets });
  return { row, config, secrets, remote };
}
