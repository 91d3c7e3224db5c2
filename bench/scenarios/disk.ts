/**
 * Scenario 6: bytes on disk for 10,000 versions of one 20 KB JSON page, each a small edit of the
 * one before. verso: the site repository after `pack()` (git gc: delta-compressed pack), alone
 * and plus the index rows those versions need (content_versions and change_events, each a
 * pg_total_relation_size: heap, TOAST and indexes). Baseline: the same versions as snapshot rows
 * (pg_total_relation_size of the snapshot table). Git sizes are allocated blocks (st_blocks),
 * comparable with PostgreSQL's 8 KB pages.
 *
 * The Git history is written with verso's own object code (blob, three trees and a commit with
 * the save's trailers per version, fsync off); the same objects a save writes.
 */
import { join } from 'node:path';
import type { Knex } from 'knex';
import { createSnapshotTable, snapshotIds, snapshotTableBytes } from '../baseline/snapshots.js';
import { EvolvingPage } from '../content.js';
import { bytesUnder, openIndex, openVerso, type BenchOptions, type Row, type Scenario, type ScenarioResult } from '../env.js';
import { idPrefix, siteRowId } from '../seed.js';
import { ratio } from '../stats.js';
import { encodeContent } from '../../lib/content.js';
import { openSiteRepo } from '../../lib/objects/index.js';
import { formatMessage } from '../../lib/trailers.js';
import type { Oid } from '../../lib/types.js';

const SEED = 61;
const MB = 1024 * 1024;

interface GitHistory {
  commits: Oid[];
  blobs: Oid[];
  loose: { apparent: number; allocated: number; files: number };
  packed: { apparent: number; allocated: number; files: number };
  packMs: number;
}

async function writeHistory(dir: string, versions: number): Promise<GitHistory> {
  const repo = openSiteRepo({ dir, fsyncEnabled: false });
  await repo.init();
  const page = new EvolvingPage(SEED);
  const commits: Oid[] = [];
  const blobs: Oid[] = [];
  let parent: Oid | undefined;
  let tree: Oid | undefined;
  for (let v = 1; v <= versions; v++) {
    const blob = await repo.writeBlob(encodeContent(v === 1 ? page.current() : page.next(), 'json'));
    const message = formatMessage('Edit', [{ doc: 'page/home/en', kind: 'draft', source: 'user', branch: 'main', version: v }]);
    const author = { name: 'Bench', email: 'bench@example.com', timestamp: 1_700_000_000 + v, timezoneOffset: 0 };
    const commit = await repo.writeCommit({ parents: parent ? [parent] : [], baseTree: tree, changes: [{ path: 'page/home/en.json', blob }], author, message });
    tree = (await repo.readCommit(commit)).tree;
    parent = commit;
    commits.push(commit);
    blobs.push(blob);
  }
  const cas = await repo.casRef('refs/heads/main', undefined, parent!);
  if (!cas.ok) throw new Error('disk: ref moved');
  const loose = await bytesUnder(dir);
  const t = performance.now();
  await repo.pack();
  const packMs = performance.now() - t;
  return { commits, blobs, loose, packed: await bytesUnder(dir), packMs };
}

async function relationBytes(knex: Knex, table: string): Promise<number> {
  const r = await knex.raw(`SELECT pg_total_relation_size(?::regclass)::bigint AS n`, [table]);
  return Number((r as { rows: Array<{ n: string | number }> }).rows[0]!.n);
}

/** A text[] literal (knex would expand a JS array binding into a list). Hex ids need no quoting. */
const pgArray = (xs: readonly string[]) => `{${xs.join(',')}}`;

/** The index rows verso writes for these versions: one document, a version row and an event each. */
async function seedVersionRows(knex: Knex, siteId: string, h: GitHistory): Promise<void> {
  const doc = `${idPrefix()}0000000000000000`;
  const node = `${idPrefix()}0000000000000000`;
  const hlc = Date.now() * 65536;
  await knex('documents').insert({ id: doc, site_id: siteId, type: 'page', key: 'home', locale: 'en', format: 'json', latest_number: h.commits.length, node_id: node, hlc_modified: hlc });
  const vp = idPrefix();
  const ep = idPrefix();
  await knex.raw(
    `INSERT INTO content_versions (id, site_id, document_id, number, branch, kind, source, commit_hash, blob_hash, author_name, author_email, message, is_current_draft, node_id, hlc_modified, created_at)
     SELECT '${vp}' || upper(lpad(to_hex(x.n), 16, '0')), ?, ?, x.n, 'main', 'draft', 'user', x.c, x.b, 'Bench', 'bench@example.com', 'Edit', x.n = ?, ?, ?, now()
       FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS x(c, b, n)`,
    [siteId, doc, h.commits.length, node, hlc, pgArray(h.commits), pgArray(h.blobs)],
  );
  await knex.raw(
    `INSERT INTO change_events (id, site_id, document_id, action, version_number, commit_hash, data, hlc, node_id)
     SELECT '${ep}' || upper(lpad(to_hex(x.n), 16, '0')), ?, ?, 'version.create', x.n, x.c, '{"branch":"main","kind":"draft","source":"user"}'::jsonb, ? + x.n, ?
       FROM unnest(?::text[]) WITH ORDINALITY AS x(c, n)`,
    [siteId, doc, hlc, node, pgArray(h.commits)],
  );
}

async function seedSnapshotRows(knex: Knex, versions: number): Promise<void> {
  await createSnapshotTable(knex);
  const newId = snapshotIds();
  const page = new EvolvingPage(SEED);
  let batch: object[] = [];
  for (let v = 1; v <= versions; v++) {
    const content = v === 1 ? page.current() : page.next();
    batch.push({ id: newId(), site_id: '01JBENCHDISK000000000000SS', document_id: '01JBENCHDISK000000000000DD', number: v, author_name: 'Bench', author_email: 'bench@example.com', message: 'Edit', content: JSON.stringify(content), is_current_draft: v === versions });
    if (batch.length === 100 || v === versions) {
      await knex('snapshot_versions').insert(batch);
      batch = [];
    }
  }
}

export const disk: Scenario = {
  name: 'disk',
  async run(o: BenchOptions): Promise<ScenarioResult> {
    const versions = o.quick ? 1_000 : 10_000;
    const label = versions.toLocaleString('en');
    o.log(`  disk: writing ${label} versions to Git`);
    const git = await writeHistory(join(await o.env.dir('disk-git'), 'site.git'), versions);
    const rows: Row[] = [];
    const notes = [
      `disk: ${label} versions of a 20 KB page as loose objects: ${(git.loose.allocated / MB).toFixed(1)} MB allocated (${(git.loose.apparent / MB).toFixed(1)} MB in ${git.loose.files} files); after pack(): ${(git.packed.allocated / MB).toFixed(2)} MB in ${git.packed.files} files; pack() took ${(git.packMs / 1000).toFixed(1)} s`,
    ];
    for (const kind of o.dbs) {
      const target = await o.env.target(kind, 'disk');
      const store = await openVerso(target);
      await store.createSite({ id: 'disk', name: 'Disk', locales: ['en'] });
      await store.close();
      const idx = await openIndex(target);
      try {
        await seedVersionRows(idx.knex, await siteRowId(idx.knex, 'disk'), git);
        await seedSnapshotRows(idx.knex, versions);
        await idx.knex.raw('VACUUM ANALYZE');
        const index = (await relationBytes(idx.knex, 'content_versions')) + (await relationBytes(idx.knex, 'change_events'));
        const snap = await snapshotTableBytes(idx.knex);
        rows.push(
          { name: `disk, ${label} versions of 20 KB, Git packed (${kind})`, unit: 'MB', verso: git.packed.allocated / MB, baseline: snap / MB, baselineName: 'snapshot rows (pg_total_relation_size)', ratio: ratio(git.packed.allocated, snap) },
          { name: `disk, ${label} versions, Git packed + index rows (${kind})`, unit: 'MB', verso: (git.packed.allocated + index) / MB, baseline: snap / MB, baselineName: 'snapshot rows (pg_total_relation_size)', ratio: ratio(git.packed.allocated + index, snap) },
        );
        notes.push(`disk (${kind}): index rows for ${label} versions (content_versions + change_events) ${(index / MB).toFixed(2)} MB; snapshot rows ${(snap / MB).toFixed(1)} MB`);
      } finally {
        await idx.close();
      }
    }
    return { rows, notes };
  },
};
