/**
 * Backups: a store with history, publications, branches, tags, comments, previews, keys and
 * the rows only PostgreSQL holds (webhooks, integrations, mappings) is backed up, verified,
 * corrupted (verify names the file), and restored into a fresh data dir and a fresh database,
 * where it must be the same store: same history, same rows, keys and preview links that still
 * work, `git fsck --strict` clean, and `fsck` with nothing to report.
 */
import { cp, mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { openDatabase } from '../../../lib/db/connection.js';
import { describeTables, dumpRows } from '../../../lib/db/queries/backups.js';
import { ConflictError } from '../../../lib/errors/index.js';
import type { BackupManifest } from '../../../lib/ops/backup/manifest.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { BackupReport, EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { git, gitFsckStrict } from '../../helpers/gitCli.js';
import { snapshotSite } from '../../helpers/snapshot.js';
import { migrations } from '../../../migrations/index.js';

const CATALOGUE = ['backup_sets', 'backups', 'backup_verifications'];
const SITES = ['acme', 'beta'];
const ULID = (n: number) => `01J00000000000000000000${String(n).padStart(3, '0')}`;

/** Every row of every table as PostgreSQL writes it (the store must be closed: PGlite). */
async function dumpDatabase(db: TestDatabase, skip: string[] = []): Promise<Record<string, string[]>> {
  const conn = await openDatabase({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
  try {
    const out: Record<string, string[]> = {};
    await conn.knex.transaction(async (trx) => {
      for (const t of await describeTables(trx)) {
        if (skip.includes(t.name)) continue;
        const lines: string[] = [];
        await dumpRows(trx, { table: t.name, orderBy: t.primaryKey }, async (batch) => void lines.push(...batch));
        out[t.name] = lines;
      }
    });
    return out;
  } finally {
    await conn.close();
  }
}

/** Rows no API writes yet: bytea, text[] and jsonb columns must survive the round trip exactly. */
async function insertIntegrationRows(db: TestDatabase): Promise<void> {
  const conn = await openDatabase({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
  try {
    const site = (await conn.knex('sites').where({ slug: 'acme' }).first()) as { id: string };
    const doc = (await conn.knex('documents').where({ site_id: site.id, type: 'page', key: 'home', locale: 'en' }).first()) as { id: string };
    // hlc_modified above 2^53: a JS number would round it.
    const entity = { node_id: ULID(1), hlc_modified: '117658133979398147' };
    await conn.knex('webhooks').insert({ id: ULID(2), site_id: site.id, url: 'https://hooks.example.com/verso', events: ['version.publish', 'comment.create'], secret_encrypted: Buffer.from(Array.from({ length: 44 }, (_, i) => i)), ...entity });
    await conn.knex('integrations').insert({ id: ULID(3), site_id: site.id, kind: 'github', name: 'docs-repo', config: JSON.stringify({ owner: 'acme', repo: 'docs', nested: { paths: ['a', 'b'] } }), secret_encrypted: Buffer.alloc(32, 0xab), ...entity });
    await conn.knex('integration_mappings').insert({ id: ULID(4), site_id: site.id, integration_id: ULID(3), document_id: doc.id, external_repo: 'acme/docs', external_path: 'content/home.json', last_pushed_commit: 'a'.repeat(40), version_number: 1, local_blob: 'b'.repeat(40), synced_blob: 'c'.repeat(40), sync_status: 'synced', last_synced_at: '2026-01-02T03:04:05.123456Z', ...entity });
  } finally {
    await conn.close();
  }
}

function flipByte(path: string, at: (size: number) => number): Promise<void> {
  return (async () => {
    const fh = await open(path, 'r+');
    try {
      const { size } = await fh.stat();
      const pos = at(size);
      const buf = Buffer.alloc(1);
      await fh.read(buf, 0, 1, pos);
      buf[0] = buf[0]! ^ 0x01;
      await fh.write(buf, 0, 1, pos);
    } finally {
      await fh.close();
    }
  })();
}

for (const target of databaseTargets()) {
  describe(`backup, verify and restore on ${target}`, function () {
    this.timeout(300_000);
    let source: TestDatabase;
    let store: EmbeddedStore | undefined;
    let work: string;
    let out: string;
    let report: BackupReport;
    const keys: Record<string, { id: string; key: string }> = {};
    const tokens: Record<string, string> = {};
    const others: TestDatabase[] = [];
    const openSource = () => openStore({ dataDir: source.dataDir, databaseUrl: source.databaseUrl });

    before(async () => {
      source = await freshDatabase(target);
      work = await mkdtemp(join(tmpdir(), 'verso-backup-test-'));
      out = join(work, 'backup');
      store = await openSource();
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en', 'fr'], domains: ['acme.com', 'www.acme.com'] });
      await store.createSite({ id: 'beta', name: 'Beta' });
      await store.createSite({ id: 'idle', name: 'Nothing saved yet' });
      const s = store.site('acme');
      const home = s.doc('page', 'home');
      await home.save({ content: { title: 'Hello' }, author: { name: 'Ada', email: 'ada@example.com' }, metadata: { ticket: 'X-1' }, idempotencyKey: 'k1', message: 'First' });
      await home.save({ content: { title: 'Hello there' }, source: 'ai_generation', kind: 'autosave' });
      await home.publish(1);
      await s.createBranch('redesign');
      await home.save({ content: { title: 'Redesigned' }, branch: 'redesign' });
      await home.rollback(1, { publish: true, message: 'Back to the first' });
      await home.tag(2, '1.0.0', { message: 'The first release' });
      const c1 = await home.comment(1, { body: 'Looks good', author: { name: 'Bob', email: 'bob@example.com' } });
      await home.comment(1, { body: 'Agreed', author: 'Cy', parentId: c1.id });
      await home.comment(2, { body: 'Tighten this', author: 'Dee', type: 'suggestion', anchor: { startLine: 1, endLine: 2 } });
      await s.createBranch('extra');
      await s.doc('page', 'fresh').save({ content: { f: 1 }, branch: 'extra' });
      await s.merge('extra');
      await s.doc('prd', 'search', 'fr').save({ content: '# Recherche\n', format: 'markdown' });
      const gone = s.doc('page', 'gone');
      await gone.save({ content: { x: 1 } });
      await gone.publish();
      await gone.archive();
      tokens.limited = (await home.preview(2, { maxUses: 3, domain: 'acme.com' })).token;
      tokens.draft = (await home.preview('draft')).token;
      await store.resolvePreview(tokens.limited, { host: 'acme.com' }); // use_count 1 of 3
      const about = store.site('beta').doc('page', 'about');
      await about.save({ content: 'About us', format: 'text' });
      await about.publish();
      keys.admin = await store.createKey({ role: 'admin', name: 'ops' });
      keys.acme = await store.createKey({ role: 'editor', site: 'acme', name: 'Acme editors' });
      keys.beta = await store.createKey({ role: 'viewer', site: 'beta' });
      keys.revoked = await store.createKey({ role: 'editor' });
      await store.revokeKey(keys.revoked.id);
      await store.close();
      await insertIntegrationRows(source);
      store = await openSource();
      report = await store.backup({ out, triggeredBy: 'test' });
    });

    after(async () => {
      await store?.close();
      for (const db of others) await db.cleanup();
      await source?.cleanup();
      if (work) await rm(work, { recursive: true, force: true });
    });

    async function freshTarget(): Promise<TestDatabase> {
      const db = await freshDatabase(target);
      others.push(db);
      return db;
    }

    it('writes a self-describing directory: manifest, one JSON-lines file per table, a bundle per site', async () => {
      const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as BackupManifest;
      expect(manifest.format).to.equal('verso-backup');
      expect(manifest.backupSetId).to.equal(report.id);
      expect(manifest.database.migrations).to.deep.equal(migrations.map((m) => m.name));
      expect(manifest.database.tables.map((t) => t.name)).to.include.members(['sites', 'content_versions', 'version_comments', 'api_keys', 'webhooks', 'integration_mappings', 'backup_sets']);
      const order = manifest.database.tables.map((t) => t.name);
      expect(order.indexOf('sites')).to.be.lessThan(order.indexOf('documents'));
      expect(order.indexOf('content_versions')).to.be.lessThan(order.indexOf('version_comments'));
      for (const f of manifest.files) expect((await stat(join(out, f.path))).size, f.path).to.equal(f.size);
      // Each bundle's refs are the repository's refs.
      for (const slug of SITES) {
        const site = manifest.sites.find((x) => x.id === slug)!;
        expect(site.bundle).to.equal(`repos/${slug}.bundle`);
        const live = git(store!.repoDir(slug), 'for-each-ref', '--format=%(refname) %(objectname)').trim().split('\n').sort();
        expect(site.refs.map((r) => `${r.ref} ${r.oid}`).sort()).to.deep.equal(live);
        expect(site.head).to.equal('refs/heads/main');
      }
      expect(site(manifest, 'acme').refs.map((r) => r.ref)).to.include.members(['refs/heads/main', 'refs/heads/published', 'refs/heads/redesign', 'refs/tags/page/home/en/v1.0.0']);
      // A site nothing was saved to has no refs, so no bundle: it is still listed.
      expect(site(manifest, 'idle')).to.include({ bundle: null, backupId: null });
      expect(report.repositories.find((r) => r.site === 'idle')).to.deep.equal({ site: 'idle', refs: 0, bytes: 0 });
      // The dump holds the catalogue as it was when the dump began: this run, running.
      const sets = (await readFile(join(out, 'db/backup_sets.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; status: string });
      expect(sets).to.deep.equal([{ ...sets[0], id: report.id, status: 'running' }]);
    });

    it('verify passes and records one verification per artefact in the catalogue', async () => {
      const v = await store!.verifyBackup({ dir: out });
      expect(v.failures).to.deep.equal([]);
      expect(v).to.include({ ok: true, backupSetId: report.id, bundles: 2, recorded: 3 });
      // Without a directory: the newest completed run in the catalogue, which is this one.
      const latest = await store!.verifyBackup();
      expect(latest).to.include({ ok: true, dir: out, backupSetId: report.id });
    });

    it('verify fails naming the file when one byte of it changes', async () => {
      const table = join(work, 'corrupt-table');
      await cp(out, table, { recursive: true });
      await flipByte(join(table, 'db/content_versions.jsonl'), (size) => Math.floor(size / 2));
      const v = await store!.verifyBackup({ dir: table });
      expect(v.ok).to.equal(false);
      expect(v.failures.length).to.be.greaterThan(0);
      expect(v.failures.map((f) => f.file)).to.satisfy((files: string[]) => files.every((f) => f === 'db/content_versions.jsonl'));
      expect(v.failures[0]!.reason).to.match(/SHA-256/);
      expect(v.recorded).to.equal(3); // the database artefact failed, the bundles passed

      const bundle = join(work, 'corrupt-bundle');
      await cp(out, bundle, { recursive: true });
      await flipByte(join(bundle, 'repos/acme.bundle'), (size) => size - 40); // inside the pack
      const b = await store!.verifyBackup({ dir: bundle, record: false });
      expect(b.ok).to.equal(false);
      expect(new Set(b.failures.map((f) => f.file))).to.deep.equal(new Set(['repos/acme.bundle']));
      expect(b.failures.map((f) => f.reason).join('\n')).to.match(/do not unpack|bundle verify/);

      const headless = join(work, 'no-manifest');
      await cp(out, headless, { recursive: true });
      await rm(join(headless, 'manifest.json'));
      const h = await store!.verifyBackup({ dir: headless });
      expect(h.failures).to.deep.equal([{ file: 'manifest.json', reason: 'is missing: this is not a finished verso backup' }]);
      expect(h.recorded).to.equal(0);

      // A corrupt backup is refused before anything is written.
      const fresh = await freshTarget();
      const r = await openStore({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl, skipReconcile: true });
      try {
        const err = await r.restore({ from: table }).catch((e: unknown) => e);
        expect(err).to.have.property('code', 'invalid_input');
        expect(await r.listSites()).to.deep.equal([]);
      } finally {
        await r.close();
      }
      expect(await stat(join(fresh.dataDir, 'repos', 'acme.git')).then(() => true, () => false)).to.equal(false);
    });

    it('restores into a fresh data dir and database: the same store, byte for byte', async () => {
      const fresh = await freshTarget();
      const before: Record<string, Record<string, unknown[]>> = {};
      for (const slug of SITES) before[slug] = await snapshotSite(store!, slug);
      const comments = await store!.site('acme').doc('page', 'home').comments(1);
      const events = await store!.site('acme').events({ limit: 500 });
      const branches = await store!.site('acme').branches();
      const sites = await store!.listSites();
      const keyList = await store!.listKeys();
      const refs = Object.fromEntries(['acme', 'beta'].map((s) => [s, git(store!.repoDir(s), 'for-each-ref')]));
      await store!.close();
      store = undefined;
      try {
        await restoreAndCompare(fresh, { before, comments, events, branches, sites, keyList, refs });
      } finally {
        store = await openSource();
      }
    });

    async function restoreAndCompare(fresh: TestDatabase, was: { before: Record<string, Record<string, unknown[]>>; comments: unknown; events: unknown; branches: unknown; sites: unknown; keyList: unknown; refs: Record<string, string> }): Promise<void> {
      const { before, comments, events, branches, sites, keyList, refs } = was;
      const sourceRows = await dumpDatabase(source, CATALOGUE);

      const r = await openStore({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl, skipReconcile: true });
      let restored;
      try {
        restored = await r.restore({ from: out });
      } finally {
        await r.close();
      }
      expect(restored).to.include({ backupSetId: report.id });
      expect(restored.sites).to.deep.equal(['acme', 'beta', 'idle']);
      expect(restored.repaired).to.deep.equal([]);

      // Every row outside the catalogue is the same, as PostgreSQL writes it.
      expect(await dumpDatabase(fresh, CATALOGUE)).to.deep.equal(sourceRows);

      const again = await openStore({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl });
      try {
        expect((await again.reconcile({ repair: false, full: true })).issues).to.deep.equal([]);
        for (const slug of SITES) expect(await snapshotSite(again, slug), slug).to.deep.equal(before[slug]);
        expect(await again.site('acme').doc('page', 'home').comments(1)).to.deep.equal(comments);
        expect(await again.site('acme').events({ limit: 500 })).to.deep.equal(events);
        expect(await again.site('acme').branches()).to.deep.equal(branches);
        expect(await again.listSites()).to.deep.equal(sites);
        expect(await again.listKeys()).to.deep.equal(keyList);
        // Keys from before authenticate as before; the revoked one still does not.
        expect(await again.authenticate(keys.admin!.key)).to.deep.equal({ keyId: keys.admin!.id, role: 'admin', name: 'ops' });
        expect(await again.authenticate(keys.acme!.key)).to.deep.equal({ keyId: keys.acme!.id, role: 'editor', site: 'acme', name: 'Acme editors' });
        expect(await again.authenticate(keys.revoked!.key)).to.equal(undefined);
        // Preview links work, with their use count carried over (1 of 3 used before).
        expect((await again.resolvePreview(tokens.draft!)).version.number).to.equal(4);
        await again.resolvePreview(tokens.limited!, { host: 'acme.com' });
        await again.resolvePreview(tokens.limited!, { host: 'acme.com' });
        expect(await again.resolvePreview(tokens.limited!, { host: 'acme.com' }).catch((e: unknown) => e)).to.have.property('code', 'preview_expired');
        // Git is the same, and clean.
        for (const slug of ['acme', 'beta']) {
          expect(git(again.repoDir(slug), 'for-each-ref'), slug).to.equal(refs[slug]);
          gitFsckStrict(again.repoDir(slug));
          expect(git(again.repoDir(slug), 'config', 'core.filesRefLockTimeout').trim()).to.equal('10000');
        }
        expect(git(again.repoDir('idle'), 'symbolic-ref', 'HEAD').trim()).to.equal('refs/heads/main');
        // The restored catalogue knows the run completed, and the backup verifies against it.
        const v = await again.verifyBackup({ dir: out });
        expect(v).to.include({ ok: true, recorded: 3 });
        // The restored store carries on: numbers continue, saves land.
        const next = await again.site('acme').doc('page', 'home').save({ content: { title: 'After the restore' } });
        expect(next.number).to.equal(5);
        gitFsckStrict(again.repoDir('acme'));
      } finally {
        await again.close();
      }
    }

    it('refuses to restore into a store that is not empty (conflict)', async () => {
      const err = await store!.restore({ from: out }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ConflictError);
      expect((err as ConflictError).code).to.equal('conflict');
      expect((err as ConflictError).message).to.match(/empty store/);
    });

    it('refuses to write into a directory that is not empty', async () => {
      const err = await store!.backup({ out }).catch((e: unknown) => e);
      expect(err).to.have.property('code', 'conflict');
    });

    it('a backup taken during saves restores to a store that checks clean, losing nothing it had indexed', async () => {
      const doc = store!.site('beta').doc('post', 'busy');
      let saving = true;
      const saved: number[] = [];
      const writer = (async () => {
        for (let i = 0; saving && i < 200; i++) saved.push((await doc.save({ content: { i } })).number);
      })();
      await new Promise((r) => setTimeout(r, 100)); // let saves start before the snapshot
      const busy = join(work, 'busy');
      const r1 = await store!.backup({ out: busy }).finally(() => (saving = false));
      await writer;
      expect(saved.length).to.be.greaterThan(0);

      const fresh = await freshTarget();
      const r = await openStore({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl, skipReconcile: true });
      try {
        const done = await r.restore({ from: busy });
        expect(done.backupSetId).to.equal(r1.id);
        // Whatever Git had beyond the snapshot was indexed from its trailers; nothing is left.
        expect(done.repaired.every((i) => i.kind === 'unindexed_commit' || i.kind === 'flag_drift')).to.equal(true);
        expect((await r.reconcile({ repair: false, full: true })).issues).to.deep.equal([]);
        const restored = (await r.site('beta').doc('post', 'busy').log({ limit: 500 })).items;
        const original = new Map((await doc.log({ limit: 500 })).items.map((v) => [v.number, v.commit]));
        // A prefix of the history, each version the same commit, numbered without gaps.
        expect(restored.map((v) => v.number)).to.deep.equal(restored.map((_, i) => restored.length - i));
        for (const v of restored) expect(original.get(v.number), `version ${v.number}`).to.equal(v.commit);
        gitFsckStrict(r.repoDir('beta'));
      } finally {
        await r.close();
      }
    });

    it('backs up one site alone: its rows, its repository, its keys', async () => {
      const one = join(work, 'beta-only');
      const r1 = await store!.backup({ out: one, site: 'beta' });
      expect(r1.repositories.map((r) => r.site)).to.deep.equal(['beta']);
      const manifest = JSON.parse(await readFile(join(one, 'manifest.json'), 'utf8')) as BackupManifest;
      expect(manifest.site).to.equal('beta');
      expect(manifest.database.tables.map((t) => t.name)).to.not.include.members(CATALOGUE);
      expect((await store!.verifyBackup({ dir: one })).ok).to.equal(true);

      const fresh = await freshTarget();
      const r = await openStore({ dataDir: fresh.dataDir, databaseUrl: fresh.databaseUrl, skipReconcile: true });
      try {
        await r.restore({ from: one });
        expect((await r.listSites()).map((s) => s.id)).to.deep.equal(['beta']);
        expect(await snapshotSite(r, 'beta')).to.deep.equal(await snapshotSite(store!, 'beta'));
        expect(await r.authenticate(keys.beta!.key)).to.deep.equal({ keyId: keys.beta!.id, role: 'viewer', site: 'beta' });
        expect(await r.authenticate(keys.admin!.key)).to.equal(undefined); // a global key is no site's
        expect((await r.reconcile({ repair: false, full: true })).issues).to.deep.equal([]);
        gitFsckStrict(r.repoDir('beta'));
      } finally {
        await r.close();
      }
    });
  });
}

function site(manifest: BackupManifest, id: string): BackupManifest['sites'][number] {
  return manifest.sites.find((s) => s.id === id)!;
}
