/**
 * Scenario 2: throughput of 8 concurrent writers, each saving its own document of one site
 * (one Git branch, so every save competes for refs/heads/main). The baseline runs the same
 * 8 writers against the snapshot table. Rounds alternate between the two sides.
 * Then the hot page (issue 12): the same 8 writers all saving ONE document, checked for lost
 * edits (every save acknowledged with its own number, the last number the count of saves).
 */
import { cpus } from 'node:os';
import { createSnapshotTable, snapshotIds, snapshotSave } from '../baseline/snapshots.js';
import { EvolvingPage } from '../content.js';
import type { Knex } from 'knex';
import { type BenchOptions, type DbKind, type Row, type Scenario, type ScenarioResult, type Shared, perDb } from '../env.js';
import { measure } from '../probe.js';
import { ratio } from '../stats.js';

const WRITERS = 8;
const SITE_ID = '01JBENCHTPUT0000000000000A';

/** `settle` runs inside the timing: verso's search vectors are built after the saves, and count. */
async function runWriters(perWriter: number, save: (w: number) => Promise<unknown>, settle?: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
    for (let i = 0; i < perWriter; i++) await save(w);
  }));
  await settle?.();
  return performance.now() - t;
}

async function runOn(kind: DbKind, o: BenchOptions): Promise<ScenarioResult> {
  const rounds = o.quick ? 1 : 4;
  const perWriter = o.quick ? 8 : 25;
  const { verso, base } = await o.env.sharedFor(kind);
  await verso.createSite({ id: 'tput', name: 'Throughput', locales: ['en'] });
  await createSnapshotTable(base.knex);
  const site = verso.site('tput');
  const docs = Array.from({ length: WRITERS }, (_, w) => site.doc('page', `writer-${w}`, 'en'));
  const vPages = docs.map((_, w) => new EvolvingPage(100 + w));
  const sPages = docs.map((_, w) => new EvolvingPage(100 + w));
  const newId = snapshotIds();
  const sdocs = docs.map((_, w) => ({ siteId: SITE_ID, documentId: `01JBENCHTPUT00000000000W0${w}` }));
  const vSave = (w: number) => docs[w]!.save({ content: vPages[w]!.next(), message: 'Edit', author: 'Bench' });
  const sSave = (w: number) => snapshotSave(base.knex, newId, sdocs[w]!, sPages[w]!.next());
  // A search builds every pending vector of the site first: what the saves left is paid here.
  const settle = () => site.search('settle');
  o.log(`  throughput (${kind}): ${rounds} rounds of ${WRITERS} writers × ${perWriter} saves per side`);
  await runWriters(2, vSave); // warm-up: creates the documents
  await runWriters(2, sSave);
  let vMs = 0;
  let sMs = 0;
  for (let r = 0; r < rounds; r++) {
    vMs += await runWriters(perWriter, vSave, settle);
    sMs += await runWriters(perWriter, sSave);
  }
  const total = rounds * WRITERS * perWriter;
  const vRate = (total / vMs) * 1000;
  const sRate = (total / sMs) * 1000;
  const probe = await measure(async () => {
    await runWriters(5, vSave, settle);
  });
  const baseProbe = await measure(async () => {
    await runWriters(5, sSave);
  });
  const perSave = (ms: number) => ms / (WRITERS * 5);
  const hot = await hotPage(kind, o, site, base.knex, newId, settle);
  const rows: Row[] = [
    { name: `throughput, 8 writers, distinct docs (${kind})`, unit: 'saves/s', verso: vRate, baseline: sRate, baselineName: 'snapshot rows, 8 writers', ratio: ratio(vRate, sRate) },
    { name: `throughput, 8 writers, one document (${kind})`, unit: 'saves/s', verso: hot.vRate, baseline: hot.sRate, baselineName: 'snapshot rows + advisory lock, 8 writers, one doc', ratio: ratio(hot.vRate, hot.sRate) },
  ];
  return {
    rows,
    notes: [
      `throughput (${kind}): ${perSave(probe.fsyncs).toFixed(1)} fsyncs and ${perSave(probe.statements).toFixed(1)} SQL statements per save with 8 writers`,
      // The CPU bound: no scheduling gets past the machine's cores divided by the CPU a save costs.
      `throughput (${kind}): machine CPU per save ${perSave(probe.cpuMs).toFixed(2)} ms (snapshot ${perSave(baseProbe.cpuMs).toFixed(2)} ms), so at most ${((cpus().length * 1000) / perSave(probe.cpuMs)).toFixed(0)} saves/s on ${cpus().length} cores (snapshot ${((cpus().length * 1000) / perSave(baseProbe.cpuMs)).toFixed(0)})`,
    ],
  };
}

/** 8 writers on one document, both sides; throws on a lost or doubled edit. */
async function hotPage(kind: DbKind, o: BenchOptions, site: ReturnType<Shared['verso']['site']>, knex: Knex, newId: () => string, settle: () => Promise<unknown>): Promise<{ vRate: number; sRate: number }> {
  const perWriter = o.quick ? 8 : 25;
  const doc = site.doc('page', 'hot', 'en');
  const vPage = new EvolvingPage(300);
  const sPage = new EvolvingPage(300);
  const sdoc = { siteId: SITE_ID, documentId: '01JBENCHTPUT0000000000HOT0' };
  const numbers: number[] = [];
  await doc.save({ content: vPage.next(), message: 'Edit', author: 'Bench' });
  await snapshotSave(knex, newId, sdoc, sPage.next(), 'Bench', { lockDocument: true });
  o.log(`  throughput (${kind}): hot page, ${WRITERS} writers × ${perWriter} saves per side`);
  const vMs = await runWriters(perWriter, async () => numbers.push((await doc.save({ content: vPage.next(), message: 'Edit', author: 'Bench' })).number), settle);
  const sMs = await runWriters(perWriter, () => snapshotSave(knex, newId, sdoc, sPage.next(), 'Bench', { lockDocument: true }));
  const latest = (await doc.log({ limit: 1 })).items[0]!.number;
  if (new Set(numbers).size !== numbers.length || latest !== numbers.length + 1) {
    throw new Error(`throughput (${kind}): hot page lost or doubled an edit: ${numbers.length} saves, ${new Set(numbers).size} numbers, latest ${latest}`);
  }
  const total = WRITERS * perWriter;
  return { vRate: (total / vMs) * 1000, sRate: (total / sMs) * 1000 };
}

export const throughput: Scenario = perDb('throughput', runOn);
