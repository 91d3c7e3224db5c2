/**
 * Why: DESIGN.md "Databases" promises a schema that Citus can distribute by `site_id` unchanged,
 * and Citus requires the distribution column in every primary key and unique constraint of a
 * distributed table, and on both sides of a foreign key between two of them (colocation). Every
 * site-owned primary key was `id` alone, and webhook_deliveries referenced change_events by `id`
 * alone. test/integration/citusKeys.test.ts checks the rule from the catalog.
 *
 * What: the primary key of each site-owned table becomes (site_id, id). The four UNIQUE (site_id,
 * id) keys that foreign keys used (documents, webhooks, integrations, webhook_deliveries) are the
 * primary key now, so they go, and the foreign keys that pointed at them are re-created (same
 * names, same actions) to point at the primary keys. change_events may hold global events
 * (site_id NULL) and keeps its `id` key, but its (site_id, id) index becomes UNIQUE so that
 * webhook_deliveries can reference it with site_id. Lookups by id alone keep working (ULIDs are
 * unique anyway); the queries pass site_id so they use the key.
 *
 * Cost: every primary key index is rebuilt, under an ACCESS EXCLUSIVE lock per table; on a large
 * index expect about as long as a REINDEX of content_versions.
 */
import type { Knex } from 'knex';

const SITE_TABLES = [
  'locales', 'domains', 'documents', 'content_versions', 'branches', 'tags', 'version_comments',
  'preview_tokens', 'webhooks', 'integrations', 'integration_mappings', 'index_quarantine',
  'label_moves', 'webhook_deliveries', 'webhook_attempts',
];

/** Keys that become redundant with the new primary keys: [table, constraint]. */
const SITE_ID_KEYS: Array<[string, string]> = [
  ['documents', 'documents_site_id_id_key'],
  ['webhooks', 'webhooks_site_id_id_key'],
  ['integrations', 'integrations_site_id_id_key'],
  ['webhook_deliveries', 'webhook_deliveries_site_id_id_key'],
];

/** Foreign keys that depend on those keys: [table, constraint, definition] (unchanged definitions). */
const DEPENDENT_FKS: Array<[string, string, string]> = [
  ['content_versions', 'content_versions_site_id_document_id_fkey', 'FOREIGN KEY (site_id, document_id) REFERENCES documents(site_id, id) ON DELETE CASCADE'],
  ['change_events', 'change_events_site_id_document_id_fkey', 'FOREIGN KEY (site_id, document_id) REFERENCES documents(site_id, id) ON DELETE CASCADE'],
  ['preview_tokens', 'preview_tokens_site_id_document_id_fkey', 'FOREIGN KEY (site_id, document_id) REFERENCES documents(site_id, id) ON DELETE CASCADE'],
  ['integration_mappings', 'integration_mappings_site_id_document_id_fkey', 'FOREIGN KEY (site_id, document_id) REFERENCES documents(site_id, id) ON DELETE CASCADE'],
  ['integration_mappings', 'integration_mappings_site_id_integration_id_fkey', 'FOREIGN KEY (site_id, integration_id) REFERENCES integrations(site_id, id) ON DELETE CASCADE'],
  ['version_comments', 'version_comments_document_fkey', 'FOREIGN KEY (site_id, document_id) REFERENCES documents(site_id, id) ON DELETE CASCADE'],
  ['label_moves', 'label_moves_site_id_document_id_fkey', 'FOREIGN KEY (site_id, document_id) REFERENCES documents(site_id, id) ON DELETE CASCADE'],
  ['webhook_deliveries', 'webhook_deliveries_site_id_webhook_id_fkey', 'FOREIGN KEY (site_id, webhook_id) REFERENCES webhooks(site_id, id) ON DELETE CASCADE'],
  ['webhook_attempts', 'webhook_attempts_site_id_delivery_id_fkey', 'FOREIGN KEY (site_id, delivery_id) REFERENCES webhook_deliveries(site_id, id) ON DELETE CASCADE'],
];

const dropFks = DEPENDENT_FKS.map(([t, name]) => `ALTER TABLE ${t} DROP CONSTRAINT ${name}`);
const addFks = DEPENDENT_FKS.map(([t, name, def]) => `ALTER TABLE ${t} ADD CONSTRAINT ${name} ${def}`);

const upStatements: string[] = [
  ...dropFks,
  `ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_event_id_fkey`,
  ...SITE_ID_KEYS.map(([t, name]) => `ALTER TABLE ${t} DROP CONSTRAINT ${name}`),
  ...SITE_TABLES.map((t) => `ALTER TABLE ${t} DROP CONSTRAINT ${t}_pkey, ADD CONSTRAINT ${t}_pkey PRIMARY KEY (site_id, id)`),
  `DROP INDEX change_events_site_id`,
  `ALTER TABLE change_events ADD CONSTRAINT change_events_site_id_id_key UNIQUE (site_id, id)`,
  ...addFks,
  `ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_event_fkey
     FOREIGN KEY (site_id, event_id) REFERENCES change_events(site_id, id) ON DELETE CASCADE`,
  `DROP INDEX webhook_deliveries_event`,
  `CREATE INDEX webhook_deliveries_event ON webhook_deliveries (site_id, event_id)`,
];

const downStatements: string[] = [
  `DROP INDEX webhook_deliveries_event`,
  `CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id)`,
  `ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_event_fkey`,
  ...dropFks,
  `ALTER TABLE change_events DROP CONSTRAINT change_events_site_id_id_key`,
  `CREATE INDEX change_events_site_id ON change_events (site_id, id)`,
  ...SITE_TABLES.map((t) => `ALTER TABLE ${t} DROP CONSTRAINT ${t}_pkey, ADD CONSTRAINT ${t}_pkey PRIMARY KEY (id)`),
  ...SITE_ID_KEYS.map(([t, name]) => `ALTER TABLE ${t} ADD CONSTRAINT ${name} UNIQUE (site_id, id)`),
  ...addFks,
  `ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_event_id_fkey
     FOREIGN KEY (event_id) REFERENCES change_events(id) ON DELETE CASCADE`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of upStatements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of downStatements) await knex.raw(sql);
}
