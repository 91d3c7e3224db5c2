/**
 * The migrations on every database target (DESIGN.md "Databases": same migrations on PGlite and
 * PostgreSQL, each with a working down). Checks that the schema rules hold for every table
 * (FK indexes, updated_at triggers, site_id in unique keys, entity columns), that the key
 * constraints refuse what they must and allow what they must, and that down leaves nothing.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { monotonicFactory } from 'ulid';
import { openDatabase, type Database } from '../../lib/db/connection.js';
import { migrateDownAll, migrateLatest, migrationStatus } from '../../lib/db/migrate.js';
import { migrations } from '../../migrations/index.js';
import * as collaboration from '../../migrations/20261122000002_collaboration.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../helpers/databases.js';

const ulid = monotonicFactory();
const NODE = ulid();
const stamp = () => ({ node_id: NODE, hlc_modified: 1 });
const hex = (length: number, seed: number) => seed.toString(16).padStart(length, '0').slice(-length);
const sha1 = (seed: number) => hex(40, seed);
const sha256 = (seed: number) => hex(64, seed);
const CIPHERTEXT = Buffer.alloc(44, 7);

const BOOKKEEPING = ['verso_migrations', 'verso_migrations_lock'];
const VERSO_TABLES = [
  'sites', 'locales', 'domains', 'documents', 'content_versions', 'branches', 'change_events',
  'tags', 'version_comments', 'preview_tokens', 'api_keys', 'webhooks', 'integrations',
  'integration_mappings', 'backup_sets', 'backups', 'backup_verifications', 'index_quarantine',
  'label_moves', 'webhook_deliveries', 'webhook_attempts', 'version_search',
];

interface DbError {
  code?: string;
  constraint?: string;
  message: string;
}

/** Awaits `query` and asserts it failed with this SQLSTATE (and constraint, when given). */
async function expectDbError(query: PromiseLike<unknown>, code: string, constraint?: string): Promise<DbError> {
  let caught: unknown;
  try {
    await query;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected SQLSTATE ${code}${constraint ? ` (${constraint})` : ''}, but the statement succeeded`).to.be.instanceOf(Error);
  const err = caught as DbError;
  expect(err.code, err.message).to.equal(code);
  if (constraint) expect(err.constraint, err.message).to.equal(constraint);
  return err;
}

async function rows<T>(knex: Knex, sql: string, bindings: readonly Knex.RawBinding[] = []): Promise<T[]> {
  return ((await knex.raw(sql, bindings)) as { rows: T[] }).rows;
}

async function publicTables(knex: Knex): Promise<string[]> {
  const found = await rows<{ table_name: string }>(
    knex,
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return found.map((r) => r.table_name);
}

// Slugs unique within one test database (reset per target).
let slugCounter = 0;
function nextSlug(): string {
  slugCounter++;
  return `s-${slugCounter}`;
}

interface Fixture {
  siteId: string;
  documentId: string;
  commits: string[];
}

async function createSite(knex: Knex, slug = nextSlug()): Promise<string> {
  const siteId = ulid();
  await knex('sites').insert({ id: siteId, slug, name: 'Acme', default_locale: 'en', ...stamp() });
  await knex('locales').insert({ id: ulid(), site_id: siteId, code: 'en', ...stamp() });
  return siteId;
}

let commitSeed = 1;
/** A document with `versions` versions (numbers 1..n, the last one the current draft). */
async function createDocument(knex: Knex, siteId: string, versions = 2): Promise<Fixture> {
  const documentId = ulid();
  await knex('documents').insert({
    id: documentId, site_id: siteId, type: 'p', key: nextSlug(), locale: 'en', format: 'json',
    latest_number: versions, ...stamp(),
  });
  const commits: string[] = [];
  for (let number = 1; number <= versions; number++) {
    const commit = sha1(commitSeed++);
    commits.push(commit);
    await knex('content_versions').insert({
      id: ulid(), site_id: siteId, document_id: documentId, number, branch: 'main', kind: 'draft',
      source: 'user', commit_hash: commit, blob_hash: sha1(commitSeed++), author_name: 'Ada',
      is_current_draft: number === versions, ...stamp(),
    });
  }
  return { siteId, documentId, commits };
}

const tag = (f: Fixture, over: Record<string, unknown> = {}) => ({
  id: ulid(), site_id: f.siteId, document_id: f.documentId, version_number: 1, name: '1.0.0',
  commit_hash: f.commits[0], tag_oid: sha1(commitSeed++), message: 'First release', created_by: 'Ada',
  ...stamp(), ...over,
});

const comment = (f: Fixture, over: Record<string, unknown> = {}) => ({
  id: ulid(), site_id: f.siteId, document_id: f.documentId, version_number: 1,
  author_name: 'Ada', author_email: 'ada@example.com', body: 'Looks good', ...stamp(), ...over,
});

let tokenSeed = 1;
const previewToken = (knex: Knex, f: Fixture, over: Record<string, unknown> = {}) => ({
  id: ulid(), token_hash: sha256(tokenSeed++), site_id: f.siteId, document_id: f.documentId,
  version_number: null, locale: 'en', expires_at: knex.raw(`now() + interval '1 hour'`),
  created_by: 'Ada', ...stamp(), ...over,
});

const apiKey = (over: Record<string, unknown> = {}) => ({
  id: ulid(), key_hash: sha256(tokenSeed++), prefix: 'vk_abcd', role: 'editor', site_id: null, name: 'ci',
  ...stamp(), ...over,
});

for (const target of databaseTargets()) {
  describe(`migrations on ${target}`, function () {
    let testDb: TestDatabase | undefined;
    let db: Database | undefined;
    const knex = (): Knex => db!.knex;

    before(async function () {
      slugCounter = 0;
      testDb = await freshDatabase(target);
      db = await openDatabase({ dataDir: testDb.dataDir, databaseUrl: testDb.databaseUrl });
      await migrateLatest(db.knex);
    });

    after(async function () {
      await db?.close();
      await testDb?.cleanup();
    });

    describe('schema rules (DESIGN.md "Databases"), for every table', function () {
      it('applies every listed migration and leaves none pending', async function () {
        const status = await migrationStatus(knex());
        expect(status.applied).to.deep.equal(migrations.map((m) => m.name));
        expect(status.pending).to.deep.equal([]);
        expect(await publicTables(knex())).to.have.members([...VERSO_TABLES, ...BOOKKEEPING]);
      });

      it('keeps every regex CHECK as written (knex rewrites an unescaped ? into a $n placeholder)', async function () {
        const mangled = await rows<{ table_name: string; conname: string; def: string }>(
          knex(),
          `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def
             FROM pg_constraint
            WHERE contype = 'c' AND connamespace = 'public'::regnamespace
              AND pg_get_constraintdef(oid) ~ '[$][0-9]'
            ORDER BY 1, 2`,
        );
        expect(mangled.map((c) => `${c.table_name}.${c.conname}: ${c.def}`)).to.deep.equal([]);
      });

      it('indexes every foreign key (its columns lead a non-partial index)', async function () {
        const unindexed = await rows<{ table_name: string; conname: string }>(
          knex(),
          `SELECT c.conrelid::regclass::text AS table_name, c.conname
             FROM pg_constraint c
            WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
              AND NOT EXISTS (
                SELECT 1 FROM pg_index i
                 WHERE i.indrelid = c.conrelid AND i.indpred IS NULL
                   AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey)
            ORDER BY 1, 2`,
        );
        expect(unindexed.map((u) => `${u.table_name}.${u.conname}`)).to.deep.equal([]);
      });

      it('gives every table with updated_at the verso_set_updated_at trigger', async function () {
        const missing = await rows<{ table_name: string }>(
          knex(),
          `SELECT c.table_name FROM information_schema.columns c
            WHERE c.table_schema = 'public' AND c.column_name = 'updated_at'
              AND NOT EXISTS (
                SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                 WHERE t.tgrelid = ('public.' || quote_ident(c.table_name))::regclass
                   AND p.proname = 'verso_set_updated_at' AND NOT t.tgisinternal)
            ORDER BY 1`,
        );
        expect(missing.map((m) => m.table_name)).to.deep.equal([]);
      });

      it('carries node_id, hlc_modified, created_at and updated_at on every entity table', async function () {
        const appendOnly = ['change_events', ...BOOKKEEPING];
        const columns = await rows<{ table_name: string; column_name: string }>(
          knex(),
          `SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND column_name IN ('node_id', 'hlc_modified', 'created_at', 'updated_at')`,
        );
        for (const table of VERSO_TABLES.filter((t) => !appendOnly.includes(t))) {
          const have = columns.filter((c) => c.table_name === table).map((c) => c.column_name);
          expect(have, table).to.have.members(['node_id', 'hlc_modified', 'created_at', 'updated_at']);
        }
      });

      it('puts site_id in every unique key of a site-owned table (Citus-ready)', async function () {
        const offending = await rows<{ table_name: string; index_name: string }>(
          knex(),
          `SELECT i.indrelid::regclass::text AS table_name, i.indexrelid::regclass::text AS index_name
             FROM pg_index i
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attname = 'site_id' AND a.attnotnull
             JOIN pg_class t ON t.oid = i.indrelid AND t.relnamespace = 'public'::regnamespace
            WHERE i.indisunique AND NOT i.indisprimary AND NOT (a.attnum = ANY (i.indkey::int2[]))
            ORDER BY 1, 2`,
        );
        expect(offending.map((o) => `${o.table_name}.${o.index_name}`)).to.deep.equal([]);
      });
    });

    describe('core', function () {
      it('refuses slugs that could escape a Git path or ref', async function () {
        for (const slug of ['Acme', '../x', 'a/b', '-a', 'a-', 'a--b', 'x.lock', '']) {
          await expectDbError(
            knex()('sites').insert({ id: ulid(), slug, name: 'x', default_locale: 'en', ...stamp() }),
            '23514',
            'sites_slug_check',
          );
        }
        const siteId = await createSite(knex());
        for (const type of ['Post', 'a b', '..']) {
          await expectDbError(
            knex()('documents').insert({ id: ulid(), site_id: siteId, type, key: 'k', locale: 'en', format: 'json', ...stamp() }),
            '23514',
            'documents_type_check',
          );
        }
      });

      it('accepts realistic slugs, locales, hostnames and branch names', async function () {
        const siteId = ulid();
        await knex()('sites').insert({ id: siteId, slug: 'acme-corp', name: 'Acme', default_locale: 'pt-BR', ...stamp() });
        await knex()('locales').insert({ id: ulid(), site_id: siteId, code: 'pt-BR', ...stamp() });
        await knex()('domains').insert({ id: ulid(), site_id: siteId, hostname: 'www.example.com', is_primary: true, ...stamp() });
        await knex()('branches').insert({ id: ulid(), site_id: siteId, name: 'main', ...stamp() });
        const documentId = ulid();
        await knex()('documents').insert({
          id: documentId, site_id: siteId, type: 'blog-post', key: 'hello-world', locale: 'pt-BR', format: 'markdown', ...stamp(),
        });
        await knex()('content_versions').insert({
          id: ulid(), site_id: siteId, document_id: documentId, number: 1, branch: 'main', kind: 'draft',
          source: 'user', commit_hash: sha1(commitSeed++), blob_hash: sha1(commitSeed++), author_name: 'Ada', ...stamp(),
        });
        // A preview may be bound to a domain of its own site.
        await knex()('preview_tokens').insert({
          id: ulid(), token_hash: sha256(tokenSeed++), site_id: siteId, document_id: documentId, version_number: 1,
          domain: 'www.example.com', locale: 'pt-BR', expires_at: knex().raw(`now() + interval '1 hour'`),
          created_by: 'Ada', ...stamp(),
        });
      });

      it('allows one current draft per document: a second one is a unique violation', async function () {
        const f = await createDocument(knex(), await createSite(knex()), 2);
        await expectDbError(
          knex()('content_versions').where({ site_id: f.siteId, document_id: f.documentId, number: 1 }).update({ is_current_draft: true }),
          '23505',
          'content_versions_one_draft',
        );
      });

      it('keeps versions immutable but lets the current flags move, stamping updated_at', async function () {
        const f = await createDocument(knex(), await createSite(knex()), 2);
        const version1 = { site_id: f.siteId, document_id: f.documentId, number: 1 };
        const err = await expectDbError(
          knex()('content_versions').where(version1).update({ commit_hash: sha1(commitSeed++) }),
          'P0001',
        );
        expect(err.message).to.match(/immutable/);
        await expectDbError(knex()('content_versions').where(version1).update({ message: 'rewritten' }), 'P0001');

        await knex()('content_versions').where({ ...version1, number: 2 }).update({ is_current_draft: false, hlc_modified: 2 });
        await knex()('content_versions').where(version1).update({ is_current_draft: true, is_current_published: true, published_at: knex().fn.now(), hlc_modified: 2 });
        const row = (await knex()('content_versions').where(version1).first()) as { is_current_published: boolean; commit_hash: string; updated_at: Date; created_at: Date };
        expect(row.is_current_published).to.equal(true);
        expect(row.commit_hash).to.equal(f.commits[0]);
        expect(new Date(row.updated_at).getTime()).to.be.greaterThan(new Date(row.created_at).getTime());
      });
    });

    describe('tags', function () {
      it('accepts semver names and refuses the rest, including Git-invalid ones', async function () {
        const f = await createDocument(knex(), await createSite(knex()));
        for (const name of ['1.2.0', '0.0.1', '1.0.0-rc.1', '2.0.0-alpha-2.x+build.5']) {
          await knex()('tags').insert(tag(f, { name }));
        }
        for (const name of ['v1.2.0', '1.2', '01.2.3', '1.2.3-', '1.2.3-a..b', '1.2.3-01', '1.0.0-x.lock', '1.2.3 ']) {
          await expectDbError(knex()('tags').insert(tag(f, { name })), '23514', 'tags_name_check');
        }
      });

      it('names a version once per document and must point at that version\'s commit', async function () {
        const f = await createDocument(knex(), await createSite(knex()));
        await knex()('tags').insert(tag(f, { name: '1.0.0' }));
        await expectDbError(knex()('tags').insert(tag(f, { name: '1.0.0', version_number: 2, commit_hash: f.commits[1] })), '23505', 'tags_site_id_document_id_name_key');
        await expectDbError(knex()('tags').insert(tag(f, { name: '9.9.9', version_number: 99 })), '23503');
        const err = await expectDbError(knex()('tags').insert(tag(f, { name: '1.1.0', version_number: 2, commit_hash: f.commits[0] })), 'P0001');
        expect(err.message).to.match(/points at commit/);
        await knex()('tags').insert(tag(f, { name: '1.1.0', version_number: 2, commit_hash: f.commits[1] }));
      });
    });

    describe('version_comments', function () {
      it('threads replies on the same version only', async function () {
        const f = await createDocument(knex(), await createSite(knex()));
        const root = comment(f, { type: 'change_request', anchor_start_line: 3, anchor_end_line: 5 });
        await knex()('version_comments').insert(root);
        await knex()('version_comments').insert(comment(f, { parent_id: root.id, type: 'approval' }));
        await expectDbError(knex()('version_comments').insert(comment(f, { parent_id: root.id, version_number: 2 })), '23503');
        await expectDbError(knex()('version_comments').insert(comment(f, { parent_id: ulid() })), '23503');
        // A comment names its version by number and survives a rebuild of content_versions
        // (the integrity migration): the operation checks the version, the schema the document.
        await knex()('version_comments').insert(comment(f, { version_number: 3 }));
        await expectDbError(knex()('version_comments').insert(comment(f, { document_id: ulid() })), '23503');
      });

      it('checks type, body, email and anchors', async function () {
        const f = await createDocument(knex(), await createSite(knex()));
        const insert = (over: Record<string, unknown>) => knex()('version_comments').insert(comment(f, over));
        await expectDbError(insert({ type: 'praise' }), '23514', 'version_comments_type_check');
        await expectDbError(insert({ body: '   ' }), '23514', 'version_comments_body_check');
        await expectDbError(insert({ body: 'x'.repeat(20001) }), '23514', 'version_comments_body_check');
        await expectDbError(insert({ author_email: 'not an email' }), '23514', 'version_comments_author_email_check');
        await expectDbError(insert({ anchor_start_line: 5, anchor_end_line: 3 }), '23514', 'version_comments_anchor_range');
        await expectDbError(insert({ anchor_start_line: 0, anchor_end_line: 3 }), '23514', 'version_comments_anchor_range');
        await expectDbError(insert({ anchor_start_line: 5 }), '23514', 'version_comments_anchor_pair');
        await insert({ anchor_start_line: 4, anchor_end_line: 4, resolved_at: knex().fn.now() });
      });
    });

    describe('preview_tokens', function () {
      it('stores a hash bound to a version or to the current draft, unique per site', async function () {
        const f = await createDocument(knex(), await createSite(knex()));
        const draft = previewToken(knex(), f);
        await knex()('preview_tokens').insert(draft);
        await knex()('preview_tokens').insert(previewToken(knex(), f, { version_number: 2, max_uses: 3 }));
        await expectDbError(knex()('preview_tokens').insert(previewToken(knex(), f, { token_hash: draft.token_hash })), '23505', 'preview_tokens_site_id_token_hash_key');
        await expectDbError(knex()('preview_tokens').insert(previewToken(knex(), f, { token_hash: 'A'.repeat(64) })), '23514', 'preview_tokens_token_hash_check');
        // Owned rows do not hang off derived version rows (the integrity migration): the version
        // is checked by the operation, and a rebuild of content_versions cannot delete the token.
        await knex()('preview_tokens').insert(previewToken(knex(), f, { version_number: 42 }));
        await expectDbError(knex()('preview_tokens').insert(previewToken(knex(), f, { domain: 'elsewhere.example' })), '23503');
        await expectDbError(knex()('preview_tokens').insert(previewToken(knex(), f, { locale: 'de' })), '23503');
        await expectDbError(knex()('preview_tokens').insert(previewToken(knex(), f, { expires_at: knex().raw(`now() - interval '1 second'`) })), '23514', 'preview_tokens_expiry_after_creation');
      });

      it('never lets use_count pass max_uses', async function () {
        const f = await createDocument(knex(), await createSite(knex()));
        const token = previewToken(knex(), f, { max_uses: 1 });
        await knex()('preview_tokens').insert(token);
        await knex()('preview_tokens').where({ id: token.id }).increment('use_count', 1);
        await expectDbError(knex()('preview_tokens').where({ id: token.id }).increment('use_count', 1), '23514', 'preview_tokens_use_limit');
        await expectDbError(knex()('preview_tokens').insert(previewToken(knex(), f, { max_uses: 0 })), '23514', 'preview_tokens_max_uses_check');
      });
    });

    describe('api_keys', function () {
      it('stores hashes unique across sites, a role from the list, an optional site', async function () {
        const siteId = await createSite(knex());
        const global = apiKey({ role: 'admin' });
        await knex()('api_keys').insert(global);
        await knex()('api_keys').insert(apiKey({ site_id: siteId, role: 'integration', name: null }));
        await expectDbError(knex()('api_keys').insert(apiKey({ key_hash: global.key_hash, site_id: siteId })), '23505', 'api_keys_key_hash_key');
        await expectDbError(knex()('api_keys').insert(apiKey({ role: 'owner' })), '23514', 'api_keys_role_check');
        await expectDbError(knex()('api_keys').insert(apiKey({ prefix: 'vk_' + 'x'.repeat(40) })), '23514', 'api_keys_prefix_check');
        await expectDbError(knex()('api_keys').insert(apiKey({ site_id: ulid() })), '23503');
      });
    });

    describe('webhooks and integrations', function () {
      it('takes http(s) URLs, known event names and an encrypted secret', async function () {
        const siteId = await createSite(knex());
        const hook = (over: Record<string, unknown>) => ({
          id: ulid(), site_id: siteId, url: 'https://hooks.example.com/verso', events: ['version.publish', 'tag.create'],
          secret_encrypted: CIPHERTEXT, ...stamp(), ...over,
        });
        await knex()('webhooks').insert(hook({}));
        await knex()('webhooks').insert(hook({ events: ['*'] }));
        await expectDbError(knex()('webhooks').insert(hook({ url: 'ftp://example.com/x' })), '23514', 'webhooks_url_check');
        await expectDbError(knex()('webhooks').insert(hook({ url: 'https://exa mple.com' })), '23514', 'webhooks_url_check');
        // Known actions are checked by the application (lib/events/actions.ts); the schema checks their shape.
        await expectDbError(knex()('webhooks').insert(hook({ events: ['Version Delete'] })), '23514', 'webhooks_events_check');
        await expectDbError(knex()('webhooks').insert(hook({ events: [] })), '23514', 'webhooks_events_check');
        await expectDbError(knex()('webhooks').insert(hook({ secret_encrypted: Buffer.from('s3cret') })), '23514', 'webhooks_secret_encrypted_check');
      });

      it('keeps integration names unique per site, secrets out of config, one mapping per document', async function () {
        const f = await createDocument(knex(), await createSite(knex()));
        const integration = {
          id: ulid(), site_id: f.siteId, kind: 'github', name: 'docs-repo', config: { owner: 'acme', repo: 'docs' },
          secret_encrypted: CIPHERTEXT, ...stamp(),
        };
        await knex()('integrations').insert(integration);
        await expectDbError(knex()('integrations').insert({ ...integration, id: ulid(), kind: 'git' }), '23505', 'integrations_site_id_name_key');
        await expectDbError(knex()('integrations').insert({ ...integration, id: ulid(), name: 'gitlab', kind: 'gitlab' }), '23514', 'integrations_kind_check');
        await expectDbError(knex()('integrations').insert({ ...integration, id: ulid(), name: 'leaky', config: { token: 'ghp_plaintext' } }), '23514', 'integrations_config_check');

        const mapping = (over: Record<string, unknown>) => ({
          id: ulid(), site_id: f.siteId, integration_id: integration.id, document_id: f.documentId,
          external_repo: 'acme/docs', external_path: 'prd/checkout.md', external_ref: 'main',
          last_pushed_commit: f.commits[1], version_number: 1, local_blob: sha1(9001), synced_blob: sha1(9001), ...stamp(), ...over,
        });
        await knex()('integration_mappings').insert(mapping({}));
        await expectDbError(knex()('integration_mappings').insert(mapping({ external_path: 'prd/other.md' })), '23505', 'integration_mappings_site_id_integration_id_document_id_key');
        const other = await createDocument(knex(), f.siteId, 1);
        await expectDbError(knex()('integration_mappings').insert(mapping({ document_id: other.documentId })), '23505');
        for (const external_path of ['../secrets', '/etc/passwd', 'a/../b', 'a//b', 'a\\b']) {
          await expectDbError(knex()('integration_mappings').insert(mapping({ document_id: other.documentId, external_path })), '23514', 'integration_mappings_external_path_check');
        }
        for (const external_ref of ['-x', 'a..b', 'x.lock', 'a b']) {
          await expectDbError(knex()('integration_mappings').insert(mapping({ document_id: other.documentId, external_path: 'x.md', external_ref })), '23514', 'integration_mappings_external_ref_check');
        }
        await expectDbError(knex()('integration_mappings').insert(mapping({ document_id: other.documentId, external_path: 'x.md', sync_status: 'done' })), '23514', 'integration_mappings_sync_status_check');
      });
    });

    describe('backups', function () {
      it('catalogues global and per-site artefacts and their verifications', async function () {
        const siteId = await createSite(knex());
        const setId = ulid();
        await knex()('backup_sets').insert({ id: setId, hlc: 42, triggered_by: 'manual', ...stamp() });
        const backup = (over: Record<string, unknown>) => ({
          id: ulid(), backup_set_id: setId, kind: 'database', location: '/backups/2026-11-22/index.dump', ...stamp(), ...over,
        });
        const database = backup({});
        await knex()('backups').insert(database);
        await knex()('backups').insert(backup({ kind: 'repository', site_id: siteId, location: '/backups/acme.bundle' }));
        await expectDbError(knex()('backups').insert(backup({ kind: 'repository' })), '23514', 'backups_site_only_for_repository');
        await expectDbError(knex()('backups').insert(backup({ site_id: siteId })), '23514', 'backups_site_only_for_repository');
        await expectDbError(knex()('backups').insert(backup({ kind: 'incremental' })), '23514', 'backups_kind_check');
        await expectDbError(knex()('backups').where({ id: database.id }).update({ status: 'completed', finished_at: knex().fn.now() }), '23514', 'backups_completed_has_checksum');
        await expectDbError(knex()('backups').where({ id: database.id }).update({ status: 'failed' }), '23514', 'backups_finished_unless_running');
        await knex()('backups').where({ id: database.id }).update({ status: 'completed', finished_at: knex().fn.now(), sha256: sha256(9), size_bytes: 1024 });

        await knex()('backup_verifications').insert({ id: ulid(), backup_id: database.id, status: 'passed', details: { restored: true }, ...stamp() });
        await expectDbError(knex()('backup_verifications').insert({ id: ulid(), backup_id: database.id, status: 'ok', ...stamp() }), '23514', 'backup_verifications_status_check');

        // A site's backups outlive nothing by accident: deleting the site is refused while they exist.
        await expectDbError(knex()('sites').where({ id: siteId }).delete(), '23503');
        await knex()('backup_sets').where({ id: setId }).delete();
        expect(await knex()('backup_verifications').where({ backup_id: database.id })).to.have.length(0);
        await knex()('sites').where({ id: siteId }).delete();
      });
    });

    describe('cascades', function () {
      it('deleting a site removes everything it owns', async function () {
        const siteId = await createSite(knex());
        const f = await createDocument(knex(), siteId);
        const parent = comment(f);
        await knex()('version_comments').insert(parent);
        await knex()('version_comments').insert(comment(f, { parent_id: parent.id }));
        await knex()('tags').insert(tag(f));
        await knex()('preview_tokens').insert(previewToken(knex(), f));
        await knex()('api_keys').insert(apiKey({ site_id: siteId }));
        const integrationId = ulid();
        await knex()('integrations').insert({ id: integrationId, site_id: siteId, kind: 'git', name: 'mirror', ...stamp() });
        await knex()('integration_mappings').insert({
          id: ulid(), site_id: siteId, integration_id: integrationId, document_id: f.documentId,
          external_repo: 'https://git.example.com/acme.git', external_path: 'p.json', version_number: 1, local_blob: sha1(9002), synced_blob: sha1(9002), ...stamp(),
        });
        await knex()('webhooks').insert({ id: ulid(), site_id: siteId, url: 'http://localhost:9/x', events: ['*'], secret_encrypted: CIPHERTEXT, ...stamp() });

        await knex()('sites').where({ id: siteId }).delete();
        for (const table of VERSO_TABLES.filter((t) => !t.startsWith('backup'))) {
          const column = table === 'sites' ? 'id' : 'site_id';
          const left = await knex()(table).where(column, siteId);
          expect(left, table).to.have.length(0);
        }
      });
    });

    describe('down', function () {
      it('rolls the collaboration migration back alone, leaving core intact, and re-applies it', async function () {
        // Migrations listed after it build on its tables: they go first and come back after it.
        const later = migrations.slice(migrations.findIndex((m) => m.name === '20261122000002_collaboration') + 1);
        await knex().transaction(async (trx) => {
          for (const m of [...later].reverse()) await m.down(trx);
          await collaboration.down(trx);
        });
        const tables = await publicTables(knex());
        expect(tables).to.include.members(['sites', 'documents', 'content_versions', 'change_events']);
        for (const gone of ['tags', 'version_comments', 'preview_tokens', 'api_keys', 'webhooks', 'integrations', 'integration_mappings', 'backup_sets', 'backups', 'backup_verifications']) {
          expect(tables, gone).to.not.include(gone);
        }
        await knex().transaction(async (trx) => {
          await collaboration.up(trx);
          for (const m of later) await m.up(trx);
        });
        expect(await publicTables(knex())).to.have.members([...VERSO_TABLES, ...BOOKKEEPING]);
      });

      it('migrates down to zero (only knex bookkeeping left) and back up', async function () {
        await migrateDownAll(knex());
        expect(await publicTables(knex())).to.have.members(BOOKKEEPING);
        const functions = await rows<{ proname: string }>(
          knex(),
          `SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace`,
        );
        expect(functions.map((f) => f.proname)).to.deep.equal([]);
        const status = await migrationStatus(knex());
        expect(status.applied).to.deep.equal([]);
        expect(status.pending).to.deep.equal(migrations.map((m) => m.name));

        await migrateLatest(knex());
        expect(await publicTables(knex())).to.have.members([...VERSO_TABLES, ...BOOKKEEPING]);
        expect((await migrationStatus(knex())).pending).to.deep.equal([]);
      });
    });
  });
}
