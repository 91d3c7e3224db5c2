/**
 * Scenario 1: sequential save latency of a 20 KB JSON page that changes by small edits.
 * verso (Git objects + ref + index, all durable) against the snapshot-row baseline and against
 * verso's Git writer without any index (the floor), interleaved in blocks of 10.
 */
import { join } from 'node:path';
import { createSnapshotTable, snapshotIds, snapshotSave } from '../baseline/snapshots.js';
import { openGitFloor } from '../baseline/gitFloor.js';
import { EvolvingPage } from '../content.js';
import { type BenchOptions, type DbKind, type Row, type Scenario, type ScenarioResult, perDb } from '../env.js';
import { measure } from '../probe.js';
import { interleave, ratio, summarize } from '../stats.js';

const SITE_ID = '01JBENCHSAVE0000000000000A';
const DOC_ID = '01JBENCHSAVE0000000000000B';

async function runOn(kind: DbKind, o: BenchOptions): Promise<ScenarioResult> {
  const n = o.quick ? 50 : 600;
  const warmup = o.quick ? 10 : 30;
  const { verso, base } = await o.env.sharedFor(kind);
  const floor = await openGitFloor(join(await o.env.dir('floor'), 'floor.git'));
  await verso.createSite({ id: 'save', name: 'Save latency', locales: ['en'] });
  await createSnapshotTable(base.knex);
  const doc = verso.site('save').doc('page', 'home', 'en');
  const newId = snapshotIds();
  const sdoc = { siteId: SITE_ID, documentId: DOC_ID };
  // The same sequence of edits for each side.
  const pv = new EvolvingPage(1);
  const ps = new EvolvingPage(1);
  const pf = new EvolvingPage(1);
  o.log(`  save latency (${kind}): ${n} saves each, interleaved`);
  const [v, s, f] = await interleave(n, warmup, [
    () => doc.save({ content: pv.next(), message: 'Edit', author: 'Bench' }),
    () => snapshotSave(base.knex, newId, sdoc, ps.next()),
    () => floor.save('page/home/en.json', pf.next()),
  ]);
  const sv = summarize(v!);
  const ss = summarize(s!);
  const sf = summarize(f!);
  const probe = await measure(async () => {
    for (let i = 0; i < 20; i++) await doc.save({ content: pv.next(), message: 'Edit', author: 'Bench' });
  });
  const floorProbe = await measure(async () => {
    for (let i = 0; i < 20; i++) await floor.save('page/home/en.json', pf.next());
  });
  const rows: Row[] = [
    { name: `save p50, 20 KB JSON, sequential (${kind})`, unit: 'ms', verso: sv.p50, baseline: ss.p50, baselineName: 'snapshot row insert + flag flip', ratio: ratio(sv.p50, ss.p50) },
    { name: `save p99, 20 KB JSON, sequential (${kind})`, unit: 'ms', verso: sv.p99, baseline: ss.p99, baselineName: 'snapshot row insert + flag flip', ratio: ratio(sv.p99, ss.p99) },
    { name: `save p50 vs Git floor (${kind})`, unit: 'ms', verso: sv.p50, baseline: sf.p50, baselineName: 'Git objects + ref only, no index', ratio: ratio(sv.p50, sf.p50) },
  ];
  const notes = [
    `save (${kind}): verso mean ${sv.mean.toFixed(2)} ms, snapshot mean ${ss.mean.toFixed(2)} ms, Git floor p50 ${sf.p50.toFixed(2)} / p99 ${sf.p99.toFixed(2)} ms`,
    `save (${kind}): per save ${(probe.fsyncs / 20).toFixed(1)} fsyncs and ${(probe.statements / 20).toFixed(1)} SQL statements (Git floor alone: ${(floorProbe.fsyncs / 20).toFixed(1)} fsyncs)`,
  ];
  return { rows, notes };
}

export const saveLatency: Scenario = perDb('save-latency', runOn);
