/**
 * `verso merge` end to end in real child processes: a dry run lists the conflict, a manual merge
 * with a conflict fails with its details in the --json error, and --resolutions settles it.
 * The branches are prepared through the SDK (the store is closed before the CLI runs: the
 * embedded store admits one process).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { MergeResult } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { verso } from './harness.js';

describe('verso merge', function () {
  this.timeout(180_000);
  const target = databaseTargets().includes('pglite') ? 'pglite' : 'postgres';
  let db: TestDatabase;
  let local: string[];

  before(async () => {
    db = await freshDatabase(target);
    local = ['--data-dir', db.dataDir, ...(db.databaseUrl ? ['--database-url', db.databaseUrl] : [])];
    const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
    try {
      await store.createSite({ id: 'acme', name: 'Acme' });
      const d = store.site('acme').doc('page', 'home');
      await d.save({ content: { title: 'Hi', body: 'Text' } });
      await store.site('acme').createBranch('copy');
      await d.save({ content: { title: 'Hello', body: 'New text' }, branch: 'copy' });
      await d.save({ content: { title: 'Hey', body: 'Text' } });
    } finally {
      await store.close();
    }
  });
  after(async () => db?.cleanup());

  it('dry-runs, refuses an unresolved conflict with its details, and merges with --resolutions', async () => {
    const dry = await verso(['merge', 'acme', 'copy', '--dry-run', '--json', ...local]);
    expect(dry.code, dry.stderr).to.equal(0);
    const plan = JSON.parse(dry.stdout) as MergeResult;
    expect(plan.conflicts).to.deep.equal([{ doc: 'page/home/en', path: '/title', base: 'Hi', ours: 'Hey', theirs: 'Hello' }]);
    expect(plan.documents[0]).to.deep.include({ doc: 'page/home/en', content: { title: 'Hey', body: 'New text' } });

    const text = await verso(['merge', 'acme', 'copy', ...local]);
    expect(text.code).to.equal(1);
    expect(text.stdout).to.match(/page\/home\/en\s+\/title\s+Hi\s+Hey\s+Hello/);
    expect(text.stderr).to.contain('1 unresolved conflict(s): page/home/en /title (conflict)');

    const failed = await verso(['merge', 'acme', 'copy', '--json', ...local]);
    expect(failed.code).to.equal(1);
    expect(JSON.parse(failed.stdout).error).to.deep.include({ code: 'conflict', details: { conflicts: plan.conflicts } });

    const picks = join(db.dataDir, 'picks.json');
    await writeFile(picks, JSON.stringify([{ doc: 'page/home/en', path: '/title', take: 'theirs' }]));
    const merged = await verso(['merge', 'acme', 'copy', '--resolutions', picks, '-m', 'Take their title', '--json', ...local]);
    expect(merged.code, merged.stderr).to.equal(0);
    const r = JSON.parse(merged.stdout) as MergeResult;
    expect(r.versions.map((v) => [v.number, v.kind, v.message])).to.deep.equal([[4, 'merge', 'Take their title']]);

    const shown = await verso(['show', 'acme', 'page/home', 'draft', '--json', ...local]);
    expect((JSON.parse(shown.stdout) as { content: unknown }).content).to.deep.equal({ title: 'Hello', body: 'New text' });
    const bad = await verso(['merge', 'acme', 'copy', '--policy', 'newest', ...local]);
    expect(bad.code).to.equal(2);
  });
});
