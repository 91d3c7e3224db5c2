/**
 * Scenario: disk after N saves made through the SDK with no manual step (issue 12), so what a
 * production store keeps is what automatic maintenance (lib/objects/maintenance.ts) leaves.
 * verso: the site repository as the saves left it (loose objects below git's gc.auto threshold
 * plus the packs the background runs wrote). Baselines: the same repository after a full
 * `git gc` (the best git does), and the snapshot rows of the same versions.
 */
import { execFileSync } from 'node:child_process';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { createSnapshotTable, snapshotIds, snapshotTableBytes } from '../baseline/snapshots.js';
import { EvolvingPage } from '../content.js';
import { bytesUnder, openIndex, openVerso, perDb, type Row } from '../env.js';
import { ratio } from '../stats.js';

const SEED = 67;
const MB = 1024 * 1024;

export const autoDisk = perDb('auto-disk', async (kind, o) => {
  // Saves are durable (fsync on) as in production: 10,000 take a couple of minutes here.
  const versions = o.quick ? 1_500 : 10_000;
  const label = versions.toLocaleString('en');
  const target = await o.env.target(kind, 'auto-disk');
  const store = await openVerso(target);
  const page = new EvolvingPage(SEED);
  const contents: unknown[] = [];
  let repoDir: string;
  try {
    await store.createSite({ id: 'autodisk', name: 'Auto disk', locales: ['en'] });
    const doc = store.site('autodisk').doc('page', 'home', 'en');
    o.log(`  auto-disk (${kind}): ${label} saves through the SDK`);
    for (let v = 1; v <= versions; v++) {
      const content = v === 1 ? page.current() : page.next();
      contents.push(content);
      await doc.save({ content, message: 'Edit', author: 'Bench' });
    }
    repoDir = store.repoDir('autodisk');
  } finally {
    // close() waits for a background pack in progress.
    await store.close();
  }
  const auto = await bytesUnder(repoDir);
  const copy = join(await o.env.dir(`auto-disk-gc-${kind}`), 'site.git');
  await cp(repoDir, copy, { recursive: true });
  execFileSync('git', ['--git-dir', copy, 'gc', '--quiet'], { stdio: 'pipe' });
  const gced = await bytesUnder(copy);
  const idx = await openIndex(target);
  let snap: number;
  try {
    await createSnapshotTable(idx.knex);
    const newId = snapshotIds();
    for (let i = 0; i < contents.length; i += 100) {
      await idx.knex('snapshot_versions').insert(
        contents.slice(i, i + 100).map((c, j) => ({ id: newId(), site_id: '01JBENCHAUTODISK00000000SS', document_id: '01JBENCHAUTODISK00000000DD', number: i + j + 1, author_name: 'Bench', author_email: null, message: 'Edit', content: JSON.stringify(c), is_current_draft: i + j + 1 === versions })),
      );
    }
    await idx.knex.raw('VACUUM ANALYZE');
    snap = await snapshotTableBytes(idx.knex);
  } finally {
    await idx.close();
  }
  const rows: Row[] = [
    { name: `disk after ${label} SDK saves, no manual step (${kind})`, unit: 'MB', verso: auto.allocated / MB, baseline: gced.allocated / MB, baselineName: 'same repository after git gc', ratio: ratio(auto.allocated, gced.allocated) },
    { name: `disk after ${label} SDK saves vs snapshot rows (${kind})`, unit: 'MB', verso: auto.allocated / MB, baseline: snap / MB, baselineName: 'snapshot rows (pg_total_relation_size)', ratio: ratio(auto.allocated, snap) },
  ];
  return { rows, notes: [`auto-disk (${kind}): ${auto.files} files after the saves, ${gced.files} after git gc`] };
});
