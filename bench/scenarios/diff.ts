/**
 * Scenario 5: unified diff of two versions of a 100 KB and of a 1 MB text document with 1% of
 * lines changed, measured cold: every sample is a different document pair, so neither verso's
 * diff cache (keyed by the two blob hashes) nor a repeated read helps.
 *
 * Baseline: what a snapshot-row CMS would do — read both snapshot rows and run the same `diff`
 * package call (structuredPatch + formatPatch).
 */
import { formatPatch, structuredPatch } from 'diff';
import type { Knex } from 'knex';
import { createSnapshotTable, snapshotIds, snapshotSave } from '../baseline/snapshots.js';
import { textPair } from '../content.js';
import { type BenchOptions, type DbKind, type Row, type Scenario, type ScenarioResult, perDb } from '../env.js';
import { interleave, ratio, summarize } from '../stats.js';

const SNAP_SITE = '01JBENCHDIFF000000000000SS';

async function snapshotDiff(knex: Knex, documentId: string): Promise<string> {
  const r = await knex.raw(`SELECT number, content FROM snapshot_versions WHERE site_id = ? AND document_id = ? AND number IN (1, 2) ORDER BY number`, [SNAP_SITE, documentId]);
  const [a, b] = (r as { rows: Array<{ content: unknown }> }).rows.map((x) => (typeof x.content === 'string' ? x.content : String(x.content)));
  return formatPatch(structuredPatch('a/doc.md', 'b/doc.md', a!, b!, 'version 1', 'version 2'));
}

async function runOn(kind: DbKind, o: BenchOptions): Promise<ScenarioResult> {
  const pairs = o.quick ? 3 : 20;
  const { verso: store, base } = await o.env.sharedFor(kind);
  const rows: Row[] = [];
  const notes: string[] = [];
  await store.createSite({ id: 'diffs', name: 'Diffs', locales: ['en'] });
  await createSnapshotTable(base.knex);
  const newId = snapshotIds();
  for (const [label, bytes] of [['100 KB', 100 * 1024], ['1 MB', 1024 * 1024]] as const) {
    const keys: string[] = [];
    let lines = 0;
    let changed = 0;
    // Two extra pairs for the warm-up.
    for (let i = 0; i < pairs + 2; i++) {
      const p = textPair(1000 * bytes + i, bytes, 0.01);
      lines = p.lines;
      changed = p.changed;
      const key = `doc-${bytes}-${String(i).padStart(3, '0')}`;
      const doc = store.site('diffs').doc('prd', key, 'en');
      await doc.save({ content: p.a, format: 'markdown', author: 'Bench' });
      await doc.save({ content: p.b, format: 'markdown', author: 'Bench' });
      const sdoc = { siteId: SNAP_SITE, documentId: key.padEnd(26, '0').slice(0, 26) };
      await snapshotSave(base.knex, newId, sdoc, p.a);
      await snapshotSave(base.knex, newId, sdoc, p.b);
      keys.push(key);
    }
    o.log(`  diff (${kind}): ${pairs} cold diffs of ${label} (${lines} lines, ${changed} changed)`);
    const [v, s] = await interleave(pairs, 2, [
      (i) => store.site('diffs').doc('prd', keys[i]!, 'en').diff(1, 2),
      (i) => snapshotDiff(base.knex, keys[i]!.padEnd(26, '0').slice(0, 26)),
    ], 1);
    const sv = summarize(v!);
    const ss = summarize(s!);
    rows.push({ name: `diff ${label}, 1% lines changed, cold p50 (${kind})`, unit: 'ms', verso: sv.p50, baseline: ss.p50, baselineName: 'read 2 snapshot rows + same diff call', ratio: ratio(sv.p50, ss.p50) });
    notes.push(`diff (${kind}) ${label}: verso p50 ${sv.p50.toFixed(1)} / max ${sv.max.toFixed(1)} ms, baseline p50 ${ss.p50.toFixed(1)} / max ${ss.max.toFixed(1)} ms`);
  }
  return { rows, notes };
}

export const diffScenario: Scenario = perDb('diff', runOn);
