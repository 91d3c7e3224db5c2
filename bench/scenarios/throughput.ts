/**
 * Scenario 2: throughput of 8 concurrent writers, each saving its own document of one site
 * (one Git branch, so every save competes for refs/heads/main). The baseline runs the same
 * 8 writers against the snapshot table. Rounds alternate between the two sides.
 */
import { createSnapshotTable, snapshotIds, snapshotSave } from '../baseline/snapshots.js';
import { EvolvingPage } from '../content.js';
import { type BenchOptions, type DbKind, type Row, type Scenario, type ScenarioResult, perDb } from '../env.js';
import { measure } from '../probe.js';
import { ratio } from '../stats.js';

const WRITERS = 8;
const SITE_ID = '01JBENCHTPUT0000000000000A';

async function runWriters(perWriter: number, save: (w: number) => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
    for (let i = 0; i < perWriter; i++) await save(w);
  }));
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
  o.log(`  throughput (${kind}): ${rounds} rounds of ${WRITERS} writers × ${perWriter} saves per side`);
  await runWriters(2, vSave); // warm-up: creates the documents
  await runWriters(2, sSave);
  let vMs = 0;
  let sMs = 0;
  for (let r = 0; r < rounds; r++) {
    vMs += await runWriters(perWriter, vSave);
    sMs += await runWriters(perWriter, sSave);
  }
  const total = rounds * WRITERS * perWriter;
  const vRate = (total / vMs) * 1000;
  const sRate = (total / sMs) * 1000;
  const probe = await measure(async () => {
    await runWriters(5, vSave);
  });
  const rows: Row[] = [
    { name: `throughput, 8 writers, distinct docs (${kind})`, unit: 'saves/s', verso: vRate, baseline: sRate, baselineName: 'snapshot rows, 8 writers', ratio: ratio(vRate, sRate) },
  ];
  return { rows, notes: [`throughput (${kind}): ${(probe.fsyncs / (WRITERS * 5)).toFixed(1)} fsyncs and ${(probe.statements / (WRITERS * 5)).toFixed(1)} SQL statements per save with 8 writers`] };
}

export const throughput: Scenario = perDb('throughput', runOn);
