/**
 * Scenario 4: a document's history page (the 50 newest versions) and `show` of one version when
 * the site holds 10k, 100k and 1M versions. Versions are spread 1,000 per document (so the site
 * grows by documents, each with a full history), seeded by INSERT … SELECT generate_series; they
 * point at synthetic commit ids and cycle through 10 real 20 KB blobs in Git, which `show` reads.
 *
 * Baseline: the same queries on a snapshot table with the same row counts (metadata-only page
 * query; `show` reads a row whose content is a real 20 KB page — only the sampled versions
 * carry full content, the rest `{}`, to keep seeding 1M rows tractable). Each level is its
 * own site (one seeding pass; PGlite has one owner), so a site holds exactly that many versions.
 */
import type { Knex } from 'knex';
import { createSnapshotTable, snapshotHistoryPage, snapshotShow } from '../baseline/snapshots.js';
import { EvolvingPage, rng } from '../content.js';
import { openIndex, openVerso, type BenchOptions, type DbKind, type Row, type Scenario, type ScenarioResult, perDb } from '../env.js';
import { docKey, idPrefix, seedIndex, siteRowId } from '../seed.js';
import { interleave, ratio, summarize } from '../stats.js';
import { openSiteRepo } from '../../lib/objects/index.js';
import { encodeContent } from '../../lib/content.js';
import type { Oid } from '../../lib/types.js';
import type { EmbeddedStore } from '../../lib/types.js';

const PER_DOC = 1000;
const SHOW_DOCS = 1;
/** `show` samples versions 1..SHOW_VERSIONS of the first SHOW_DOCS documents, on both sides. */
const SHOW_VERSIONS = 100;
/** A 26-character site id per level for the snapshot table. */
const snapSite = (level: number) => `01JBENCHHIST${String(level).padStart(14, '0')}`;

/** Snapshot rows with the same shape: `docs` documents × PER_DOC versions in `site`. */
async function seedSnapshots(knex: Knex, site: string, docs: number, contents: object[]): Promise<void> {
  const prefix = idPrefix();
  // The versions `show` samples carry real content; every other row an empty object.
  await knex.raw(
    `INSERT INTO snapshot_versions (id, site_id, document_id, number, author_name, message, content, is_current_draft, created_at)
     SELECT '${prefix}' || upper(lpad(to_hex(g::bigint * ${PER_DOC} + n), 16, '0')), ?, 'SNAPDOC' || lpad(g::text, 19, '0'), n, 'Bench', 'seed', '{}'::jsonb, n = ${PER_DOC}, now()
       FROM generate_series(0, ?::int) g, generate_series(1, ${PER_DOC}) n
      WHERE g >= ${SHOW_DOCS} OR n > ${SHOW_VERSIONS}`,
    [site, docs - 1],
  );
  for (let g = 0; g < SHOW_DOCS; g++) {
    const rows = [];
    for (let n = 1; n <= SHOW_VERSIONS; n++) {
      rows.push({ id: `${prefix}S${String(g).padStart(3, '0')}${String(n).padStart(12, '0')}`, site_id: site, document_id: `SNAPDOC${String(g).padStart(19, '0')}`, number: n, author_name: 'Bench', message: 'seed', content: JSON.stringify(contents[n % contents.length]), is_current_draft: false });
    }
    for (let i = 0; i < rows.length; i += 50) await knex('snapshot_versions').insert(rows.slice(i, i + 50));
  }
}

async function runOn(kind: DbKind, o: BenchOptions): Promise<ScenarioResult> {
  const levels = o.quick ? [10_000, 30_000] : [10_000, 100_000, 1_000_000];
  const n = o.quick ? 50 : 500;
  const target = await o.env.target(kind, 'history');
  const base = await openIndex(await o.env.target(kind, 'history-snapshots'));
  let store: EmbeddedStore | undefined = await openVerso(target);
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    await createSnapshotTable(base.knex);
    const page = new EvolvingPage(21);
    const contents: object[] = [];
    for (let i = 0; i < 10; i++) contents.push(page.next());
    // One site per level, so PGlite (one owner) is closed and reopened once for all seeding.
    const blobs = new Map<number, Oid[]>();
    for (const level of levels) {
      await store.createSite({ id: `hist-${level}`, name: `History ${level}`, locales: ['en'] });
      const repo = openSiteRepo({ dir: store.repoDir(`hist-${level}`) });
      blobs.set(level, await Promise.all(contents.map((c) => repo.writeBlob(encodeContent(c, 'json')))));
    }
    if (kind === 'pglite') {
      await store.close();
      store = undefined;
    }
    const idx = await openIndex(target);
    try {
      for (const level of levels) {
        const t = performance.now();
        await seedIndex(idx.knex, { siteId: await siteRowId(idx.knex, `hist-${level}`), from: 0, to: level / PER_DOC, perDoc: PER_DOC, blobs: blobs.get(level)! });
        await seedSnapshots(base.knex, snapSite(level), level / PER_DOC, contents);
        o.log(`  history (${kind}): seeded ${level} versions (index and snapshots) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
      await idx.knex.raw('ANALYZE content_versions');
      await base.knex.raw('ANALYZE snapshot_versions');
    } finally {
      await idx.close();
    }
    store ??= await openVerso(target);
    for (const level of levels) {
      const docs = level / PER_DOC;
      const r = rng(level);
      const site = store.site(`hist-${level}`);
      const sdoc = (d: number) => ({ siteId: snapSite(level), documentId: `SNAPDOC${String(d).padStart(19, '0')}` });
      const [vp, sp] = await interleave(n, 10, [
        () => site.doc('page', docKey(Math.floor(r() * docs)), 'en').log({ limit: 50 }),
        () => snapshotHistoryPage(base.knex, sdoc(Math.floor(r() * docs))),
      ]);
      const [vs, ss] = await interleave(n, 10, [
        () => site.doc('page', docKey(Math.floor(r() * SHOW_DOCS)), 'en').show(1 + Math.floor(r() * SHOW_VERSIONS)),
        () => snapshotShow(base.knex, sdoc(Math.floor(r() * SHOW_DOCS)), 1 + Math.floor(r() * SHOW_VERSIONS)),
      ]);
      const [hv, hs, shv, shs] = [summarize(vp!), summarize(sp!), summarize(vs!), summarize(ss!)];
      const label = level >= 1_000_000 ? `${level / 1_000_000}M` : `${level / 1000}k`;
      rows.push(
        { name: `history page p99 at ${label} versions (${kind})`, unit: 'ms', verso: hv.p99, baseline: hs.p99, baselineName: 'snapshot table, same query shape', ratio: ratio(hv.p99, hs.p99) },
        { name: `show p50 at ${label} versions (${kind})`, unit: 'ms', verso: shv.p50, baseline: shs.p50, baselineName: 'snapshot row read (20 KB jsonb)', ratio: ratio(shv.p50, shs.p50) },
      );
      notes.push(`history (${kind}) at ${label}: page p50 ${hv.p50.toFixed(2)} / p99 ${hv.p99.toFixed(2)} ms (snapshot ${hs.p50.toFixed(2)} / ${hs.p99.toFixed(2)}); show p50 ${shv.p50.toFixed(2)} / p99 ${shv.p99.toFixed(2)} ms`);
    }
    return { rows, notes };
  } finally {
    await store?.close();
    await base.close();
  }
}

export const history: Scenario = perDb('history', runOn);
