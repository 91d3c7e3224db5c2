/**
 * Scenario: full-text search over 100k documents of 2 KB (2k with --quick) against a plain
 * `ILIKE '%word%'` over the same rows (issue 11 Performance). Two words: one in 1 % of the
 * documents (a page of hits out of ~1,000) and one in 10 % (~10,000 hits to rank).
 *
 * Seeding (100k saves would take most of an hour here): the site is created through the store,
 * the documents and their one version each are bulk-inserted by bench/seed.ts's seedIndex (the
 * rows a save writes, flags included), and the version_search rows are built the way indexing
 * builds them: each document's canonical JSON goes through the real extractor
 * (lib/search/extract.ts, title-like fields apart from the body), the locale's configuration
 * comes from searchConfig, and the tsvector from the very SQL expression upsertSearchRow uses
 * (searchVectorSql), batched. What is measured then runs through the real op,
 * `store.site(…).search(word)` (first page of 20, ranked, with ts_headline snippets), so the
 * measured path is the product's, only the seeding is shortened. No Git content is needed:
 * search reads only the index.
 *
 * Baseline: `SELECT … WHERE title ILIKE '%word%' OR body ILIKE '%word%' ORDER BY document_id
 * LIMIT 21` over version_search of the same site: the same rows, the same page size, a stable
 * order (a search page must be stable to page through), no ranking and no snippets. On PGlite a
 * second database cannot share the data dir with the open store, so the baseline runs on a
 * byte-for-byte copy of the seeded data dir.
 */
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { encodeContent } from '../../lib/content.js';
import type { Oid } from '../../lib/types.js';
import { searchVectorSql } from '../../lib/db/queries/search.js';
import { extractSearchText, searchConfig } from '../../lib/search/extract.js';
import { rng } from '../content.js';
import { openIndex, openVerso, perDb, type BenchOptions, type DbKind, type Row, type Scenario, type ScenarioResult, type Target } from '../env.js';
import { idPrefix, seedIndex, siteRowId } from '../seed.js';
import { interleave, ratio, summarize } from '../stats.js';

const SITE = 'search-bench';
// Neither word can come out of the syllables below, so the fractions are exact.
const RARE = { word: 'zeppelin', every: 100 };
const COMMON = { word: 'harbour', every: 10 };
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vi', 'so', 'de', 'fa', 'gu', 'bi', 'no', 're', 'lu', 'si', 'po', 'ma', 'ti', 'we'];

/** ~6,000 made-up words, drawn with a Zipf-like skew as prose is (few words very often, most rarely). */
function vocabulary(): string[] {
  const r = rng(5);
  const words = new Set<string>();
  while (words.size < 6000) {
    let w = '';
    for (let s = 2 + Math.floor(r() * 3); s > 0; s--) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

/** Document i: a CMS page of ~2 KB canonical JSON; every 100th holds RARE, every 10th COMMON. */
function documentContent(i: number, words: string[], r: () => number): object {
  const pick = () => words[Math.floor(words.length * r() ** 3)]!;
  const text = (n: number) => Array.from({ length: n }, pick).join(' ');
  const blocks: Array<{ heading: string; text: string }> = [];
  for (let b = 0; b < 4; b++) blocks.push({ heading: text(4), text: text(55) });
  if (i % RARE.every === 7) blocks[2]!.text += ` the ${RARE.word} docked`;
  if (i % COMMON.every === 3) blocks[1]!.text += ` near the ${COMMON.word}`;
  return { title: `${text(3)} ${i}`, seo: { description: text(20) }, blocks };
}

async function seed(knex: Knex, count: number, log: (m: string) => void, kind: DbKind): Promise<{ bytes: number }> {
  const siteId = await siteRowId(knex, SITE);
  let t = performance.now();
  await seedIndex(knex, { siteId, from: 0, to: count, perDoc: 1, blobs: ['0'.repeat(40) as Oid] });
  log(`  search (${kind}): ${count} documents and versions in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const ids = (await knex('documents').where({ site_id: siteId }).orderBy('key').pluck('id')) as string[];
  const words = vocabulary();
  const r = rng(17);
  const config = searchConfig('en');
  const node = `${idPrefix()}0000000000000000`;
  const hlc = String(Date.now() * 65536);
  const vector = searchVectorSql('r.config', 'r.title', 'r.body');
  let bytes = 0;
  t = performance.now();
  // Fresh statistics first, or each row's foreign-key check plans a sequential scan of
  // content_versions (as seed.ts says of documents).
  await knex.raw('ANALYZE content_versions');
  for (let from = 0; from < ids.length; from += 500) {
    const batch = ids.slice(from, from + 500).map((id, k) => {
      const content = encodeContent(documentContent(from + k, words, r), 'json');
      bytes += content.length;
      const text = extractSearchText('json', content);
      return { site_id: siteId, document_id: id, version_number: 1, config, title: text.title, body: text.body, node_id: node, hlc_modified: hlc };
    });
    await knex.raw(
      `INSERT INTO version_search (site_id, document_id, version_number, config, title, body, vector, node_id, hlc_modified)
       SELECT r.site_id, r.document_id, r.version_number, r.config, r.title, r.body, ${vector}, r.node_id, r.hlc_modified
         FROM json_to_recordset(?::json) AS r(site_id text, document_id text, version_number int, config text, title text,
                                             body text, node_id text, hlc_modified bigint)`,
      [JSON.stringify(batch)],
    );
  }
  await knex.raw('VACUUM ANALYZE version_search');
  log(`  search (${kind}): ${count} search rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { bytes };
}

async function ilikePage(knex: Knex, siteId: string, word: string): Promise<number> {
  const { rows } = (await knex.raw(
    `SELECT document_id, version_number, title FROM version_search
      WHERE site_id = ? AND (title ILIKE ? OR body ILIKE ?) ORDER BY document_id LIMIT 21`,
    [siteId, `%${word}%`, `%${word}%`],
  )) as { rows: unknown[] };
  return rows.length;
}

async function runOn(kind: DbKind, o: BenchOptions): Promise<ScenarioResult> {
  // --quick: 2k documents, so that it stays under a minute on both databases on this loaded
  // machine (to_tsvector of a 2 KB page measured 1.4 ms at load 20, PGlite about 3x that).
  // The full run: 30 timed searches per side (the p99 is then the slowest), because one ILIKE
  // page over 100k rows takes seconds.
  const count = o.quick ? 2_000 : 100_000;
  const n = o.quick ? 20 : 30;
  const warmup = 3;
  const target = await o.env.target(kind, 'search');
  let store = await openVerso(target);
  await store.createSite({ id: SITE, name: 'Search bench', locales: ['en'] });
  if (kind === 'pglite') await store.close(); // one owner: seed with the store closed
  let idx = await openIndex(target);
  let seeded: { siteId: string; bytes: number };
  try {
    seeded = { siteId: await siteRowId(idx.knex, SITE), ...(await seed(idx.knex, count, o.log, kind)) };
  } finally {
    if (kind === 'pglite') await idx.close();
  }
  const { siteId, bytes } = seeded;
  if (kind === 'pglite') {
    const baseline: Target = { kind, dataDir: await o.env.dir('pglite-search-baseline') };
    await cp(join(target.dataDir, 'pg'), join(baseline.dataDir, 'pg'), { recursive: true });
    await rm(join(baseline.dataDir, 'pg', 'pg.lock'), { force: true });
    idx = await openIndex(baseline);
    store = await openVerso(target);
  }
  const rows: Row[] = [];
  const notes: string[] = [`search (${kind}): ${count.toLocaleString('en')} documents, ${(bytes / count / 1024).toFixed(1)} KB of JSON each on average`];
  try {
    const site = store.site(SITE);
    for (const { word, every } of [RARE, COMMON]) {
      const hits = (await site.search(word, { limit: 20 })).items.length;
      const likeHits = await ilikePage(idx.knex, siteId, word);
      const matching = count / every;
      if (hits !== Math.min(20, matching) || likeHits !== Math.min(21, matching)) {
        throw new Error(`search bench: "${word}" found ${hits} (search) and ${likeHits} (ILIKE) of ${matching} documents`);
      }
      o.log(`  search (${kind}): "${word}" (1 in ${every} documents), ${n} searches each, interleaved`);
      const [a, b] = await interleave(n, warmup, [() => site.search(word, { limit: 20 }), () => ilikePage(idx.knex, siteId, word)]);
      const sa = summarize(a!);
      const sb = summarize(b!);
      const what = `1 word in ${100 / every} % of ${count / 1000}k docs`;
      rows.push({ name: `search p50, ${what} (${kind})`, unit: 'ms', verso: sa.p50, baseline: sb.p50, baselineName: "ILIKE '%word%', same rows", ratio: ratio(sa.p50, sb.p50) });
      rows.push({ name: `search p99, ${what} (${kind})`, unit: 'ms', verso: sa.p99, baseline: sb.p99, baselineName: "ILIKE '%word%', same rows", ratio: ratio(sa.p99, sb.p99) });
    }
    return { rows, notes };
  } finally {
    await store.close().catch(() => undefined);
    await idx.close().catch(() => undefined);
  }
}

export const searchScenario: Scenario = perDb('search', runOn);
