/**
 * Scenario 7: requests/s of the gateway's history (`log`, first page of 50) and `show` routes
 * under load: autocannon, 10 keep-alive connections, ~10 s per side and route (3 s with
 * --quick), against the real `startServer` over an embedded store holding one 20 KB JSON page
 * with 1,000 versions made by real saves (200 with --quick), so `show` reads real blobs.
 *
 * Baseline: a bare Express 5 app over the snapshot table in the same database engine, seeded
 * with the same versions (every row carries its full 20 KB content), one query per request.
 * Both servers run in this process; the load generator runs in a worker thread. The gateway
 * keeps everything a deployment runs — API key lookup, rate limiter (with a limit the run cannot
 * reach), pino request logs (to /dev/null), helmet, query validation — since that is the cost
 * being measured.
 */
import { devNull } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { createSnapshotTable, snapshotIds } from '../baseline/snapshots.js';
import { startSnapshotServer } from '../baseline/snapshotServer.js';
import { EvolvingPage, rng } from '../content.js';
import { openIndex, openVerso, type BenchOptions, type DbKind, type Row, type Scenario, type ScenarioResult, perDb } from '../env.js';
import { abba, load, type LoadResult, type LoadTarget } from '../load.js';
import { measure } from '../probe.js';
import { ratio } from '../stats.js';
import { startServer } from '../../gateway/serve.js';
import type { DocHandle } from '../../lib/types.js';

const SEED = 71;
const CONNECTIONS = 10;
const SITE = 'http';
const SNAP = { siteId: '01JBENCHHTTP0000000000000A', documentId: '01JBENCHHTTP0000000000000B' };
const DOC_PATH = `/v1/sites/${SITE}/docs/page/home/en/versions`;
const SNAP_PATH = `/snapshots/${SNAP.siteId}/${SNAP.documentId}/versions`;
/** The default limit is 6000 a minute per key; the run makes far more requests on one key. */
const NO_LIMIT = { windowMs: 60_000, max: Number.MAX_SAFE_INTEGER };

/** The same `versions` edits of one page through verso's save and as snapshot rows. */
async function seed(doc: DocHandle, knex: Knex, versions: number): Promise<void> {
  await createSnapshotTable(knex);
  const pv = new EvolvingPage(SEED);
  const ps = new EvolvingPage(SEED);
  const newId = snapshotIds();
  let batch: object[] = [];
  for (let v = 1; v <= versions; v++) {
    await doc.save({ content: v === 1 ? pv.current() : pv.next(), message: 'Edit', author: 'Bench' });
    const content = v === 1 ? ps.current() : ps.next();
    batch.push({ id: newId(), site_id: SNAP.siteId, document_id: SNAP.documentId, number: v, author_name: 'Bench', message: 'Edit', content: JSON.stringify(content), is_current_draft: v === versions });
    if (batch.length === 50 || v === versions) {
      await knex('snapshot_versions').insert(batch);
      batch = [];
    }
  }
  await knex.raw('ANALYZE snapshot_versions');
}

/** Fails unless both servers answer the same page and version: the load must compare like with like. */
async function check(verso: LoadTarget, base: LoadTarget, number: number): Promise<void> {
  const get = async (t: LoadTarget, path: string) => {
    const res = await fetch(t.url + path, { headers: t.headers ?? {} });
    if (!res.ok) throw new Error(`http bench: GET ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { items?: Array<{ number: number }>; content?: unknown };
  };
  const [vh, bh] = [await get(verso, DOC_PATH), await get(base, SNAP_PATH)];
  const [vs, bs] = [await get(verso, `${DOC_PATH}/${number}`), await get(base, `${SNAP_PATH}/${number}`)];
  const same = vh.items?.length === 50 && bh.items?.length === 50 && vh.items[0]!.number === bh.items[0]!.number && isDeepStrictEqual(vs.content, bs.content);
  if (!same) throw new Error('http bench: the gateway and the baseline do not answer the same versions');
}

async function runOn(kind: DbKind, o: BenchOptions): Promise<ScenarioResult> {
  const versions = o.quick ? 200 : 1000;
  const timed = { connections: CONNECTIONS, seconds: o.quick ? 3 : 10 };
  const warmup = { connections: CONNECTIONS, seconds: 1 };
  const store = await openVerso(await o.env.target(kind, 'http'));
  const base = await openIndex(await o.env.target(kind, 'http-snapshots'));
  const closers: Array<() => Promise<void>> = [() => base.close(), () => store.close()];
  try {
    // Seed: one page with `versions` real saves, the same rows in the snapshot table.
    await store.createSite({ id: SITE, name: 'HTTP', locales: ['en'] });
    const key = await store.createKey({ role: 'viewer', site: SITE, name: 'bench' });
    const t = performance.now();
    await seed(store.site(SITE).doc('page', 'home', 'en'), base.knex, versions);
    o.log(`  http (${kind}): ${versions} saves and snapshot rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // Serve: the real gateway runner and the bare baseline, both on 127.0.0.1:0.
    const logger = pino({ level: 'info' }, pino.destination({ dest: devNull, sync: true }));
    const gateway = await startServer({ store, port: 0, logger, rateLimit: NO_LIMIT });
    closers.unshift(() => gateway.close());
    const snapshots = await startSnapshotServer(base.knex);
    closers.unshift(() => snapshots.close());

    // The same 100 random versions, in the same order, for `show` on both sides.
    const r = rng(SEED);
    const numbers = Array.from({ length: 100 }, () => 1 + Math.floor(r() * versions));
    const headers = { authorization: `Bearer ${key.key}` };
    const vHistory: LoadTarget = { url: gateway.url, paths: [DOC_PATH], headers };
    const bHistory: LoadTarget = { url: snapshots.url, paths: [SNAP_PATH] };
    const vShow: LoadTarget = { url: gateway.url, paths: numbers.map((n) => `${DOC_PATH}/${n}`), headers };
    const bShow: LoadTarget = { url: snapshots.url, paths: numbers.map((n) => `${SNAP_PATH}/${n}`) };
    await check(vHistory, bHistory, numbers[0]!);
    const perRequest = async (path: string) =>
      (await measure(async () => {
        for (let i = 0; i < 10; i++) await fetch(gateway.url + path, { headers }).then((res) => res.arrayBuffer());
      })).statements / 10;
    const statements = { history: await perRequest(DOC_PATH), show: await perRequest(`${DOC_PATH}/${numbers[0]}`) };

    // Load: warm every target up, then A-B-B-A per route.
    for (const target of [vHistory, bHistory, vShow, bShow]) await load(target, warmup);
    o.log(`  http (${kind}): history, ${CONNECTIONS} connections, ${timed.seconds} s per side`);
    const [vh, bh] = await abba(vHistory, bHistory, timed);
    o.log(`  http (${kind}): show, ${CONNECTIONS} connections, ${timed.seconds} s per side`);
    const [vs, bs] = await abba(vShow, bShow, timed);
    return report(kind, versions, { vh, bh, vs, bs }, statements);
  } finally {
    // autocannon hangs up with requests in flight; their handlers finish after the servers'
    // close() has resolved (it waits for connections, not handlers), so let them drain first.
    await delay(250);
    for (const close of closers) await close().catch((err: unknown) => o.log(`  http (${kind}): close failed: ${String(err)}`));
  }
}

/** Table rows (req/s and p99 per route) and the notes under the table. */
function report(kind: DbKind, versions: number, r: Record<'vh' | 'bh' | 'vs' | 'bs', LoadResult>, statements: { history: number; show: number }): ScenarioResult {
  const { vh, bh, vs, bs } = r;
  const snapHistory = 'bare Express 5 + snapshot table, same query shape';
  const snapShow = 'bare Express 5 + snapshot row (20 KB jsonb)';
  const rows: Row[] = [
    { name: `http history page, ${CONNECTIONS} connections (${kind})`, unit: 'req/s', verso: vh.rps, baseline: bh.rps, baselineName: snapHistory, ratio: ratio(vh.rps, bh.rps) },
    { name: `http history page p99 (${kind})`, unit: 'ms', verso: vh.p99, baseline: bh.p99, baselineName: snapHistory, ratio: ratio(vh.p99, bh.p99) },
    { name: `http show, ${CONNECTIONS} connections (${kind})`, unit: 'req/s', verso: vs.rps, baseline: bs.rps, baselineName: snapShow, ratio: ratio(vs.rps, bs.rps) },
    { name: `http show p99 (${kind})`, unit: 'ms', verso: vs.p99, baseline: bs.p99, baselineName: snapShow, ratio: ratio(vs.p99, bs.p99) },
  ];
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  const notes = [
    `http (${kind}): ${versions} versions; history p50 ${vh.p50.toFixed(1)} ms (baseline ${bh.p50.toFixed(1)}), ${kb(vh.bytesPerResponse)} per answer (baseline ${kb(bh.bytesPerResponse)}); show p50 ${vs.p50.toFixed(1)} ms (baseline ${bs.p50.toFixed(1)}), ${kb(vs.bytesPerResponse)} (baseline ${kb(bs.bytesPerResponse)})`,
    `http (${kind}): SQL statements per request ${statements.history} (history) and ${statements.show} (show), baseline 1; ${vh.requests + vs.requests} gateway and ${bh.requests + bs.requests} baseline requests, all 2xx`,
  ];
  return { rows, notes };
}

export const http: Scenario = perDb('http', runOn);
