/**
 * The ordered list of migrations. Listed explicitly (not read from the directory) so the same
 * list works from TypeScript sources under tsx and from the compiled dist/ alike.
 */
import type { Knex } from 'knex';
import * as core from './20261122000001_core.js';
import * as collaboration from './20261122000002_collaboration.js';
import * as integrity from './20261201000001_integrity.js';
import * as integrations from './20261201000003_integrations.js';
import * as review from './20261201000004_review.js';
import * as auditWebhooks from './20261201000005_audit_webhooks.js';
import * as search from './20261201000006_search.js';
import * as sitePolicies from './20261201000007_site_policies.js';
import * as citusKeys from './20261202000001_citus_keys.js';
import * as searchPending from './20261202000002_search_pending.js';

export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

export const migrations: Migration[] = [
  { name: '20261122000001_core', ...core },
  { name: '20261122000002_collaboration', ...collaboration },
  { name: '20261201000001_integrity', ...integrity },
  { name: '20261201000003_integrations', ...integrations },
  { name: '20261201000004_review', ...review },
  { name: '20261201000005_audit_webhooks', ...auditWebhooks },
  { name: '20261201000006_search', ...search },
  { name: '20261201000007_site_policies', ...sitePolicies },
  { name: '20261202000001_citus_keys', ...citusKeys },
  { name: '20261202000002_search_pending', ...searchPending },
];
