/**
 * Scenario 3: save latency when one directory holds 100, 10,000 or 100,000 documents of one type.
 * Git rewrites every tree on the path of a change, so each save rewrites the `page/` tree whose
 * size grows with the directory (~37 bytes an entry). Each level is its own site, seeded with
 * one commit holding N documents (built directly from verso's object code) and N index rows
 * (bulk INSERT … SELECT); then saves edit random existing documents, interleaved across levels.
 */
import { EvolvingPage, rng } from '../content.js';
import { openIndex, openVerso, type BenchOptions, type DbKind, type Row, type Scenario, type ScenarioResult, perDb } from '../env.js';
import { docKey, seedDocumentTree, seedIndex, siteRowId } from '../seed.js';
import { interleave, ratio, summarize } from '../stats.js';
import type { Oid } from '../../lib/types.js';

async function runOn(kind: DbKind, o: BenchOptions): Promise<ScenarioResult> {
  const levels = o.quick ? [100, 10_000] : [100, 10_000, 100_000];
  const n = o.quick ? 30 : 200;
  const warmup = o.quick ? 5 : 10;
  const target = await o.env.target(kind, 'docs');
  let store = await openVerso(target);
  const notes: string[] = [];
  try {
    const page = new EvolvingPage(7);
    const seeded: Array<{ level: number; commit: Oid; blob: Oid }> = [];
    for (const level of levels) {
      await store.createSite({ id: `docs-${level}`, name: `Docs ${level}`, locales: ['en'] });
      const s = await seedDocumentTree(store.repoDir(`docs-${level}`), level, page.current());
      seeded.push({ level, ...s });
      notes.push(`docs (${kind}): at ${level} documents the page/ tree is ${(s.typeTreeBytes / 1024).toFixed(0)} KB`);
    }
    // PGlite has one owner: close the store while the index is seeded directly.
    if (kind === 'pglite') await store.close();
    const idx = await openIndex(target);
    try {
      for (const s of seeded) {
        const t = performance.now();
        await seedIndex(idx.knex, { siteId: await siteRowId(idx.knex, `docs-${s.level}`), from: 0, to: s.level, perDoc: 1, blobs: [s.blob], commit: s.commit });
        o.log(`  docs (${kind}): seeded ${s.level} documents in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
    } finally {
      await idx.close();
    }
    if (kind === 'pglite') store = await openVerso(target);
    const r = rng(11);
    const saves = levels.map((level) => () => {
      const key = docKey(Math.floor(r() * level));
      return store.site(`docs-${level}`).doc('page', key, 'en').save({ content: page.next(), message: 'Edit', author: 'Bench' });
    });
    o.log(`  docs (${kind}): ${n} saves per level, interleaved`);
    const samples = await interleave(n, warmup, saves, 5);
    const s = samples.map((x) => summarize(x));
    const rows: Row[] = [];
    levels.forEach((level, i) => {
      notes.push(`docs (${kind}): save at ${level} documents p50 ${s[i]!.p50.toFixed(2)} ms, p99 ${s[i]!.p99.toFixed(2)} ms`);
      if (i === 0) return;
      rows.push({ name: `save p50 at ${level.toLocaleString('en')} docs in one dir (${kind})`, unit: 'ms', verso: s[i]!.p50, baseline: s[0]!.p50, baselineName: `verso save at ${levels[0]} docs`, ratio: ratio(s[i]!.p50, s[0]!.p50) });
    });
    return { rows, notes };
  } finally {
    await store.close().catch(() => undefined);
  }
}

export const docScaling: Scenario = perDb('doc-scaling', runOn);
