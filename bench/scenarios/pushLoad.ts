/**
 * Scenario: `git push` to a branch that takes steady saves (issue 12, "Pushes under load").
 * A saver writes one document on `main` through the SDK at 1, 5 and 20 saves/s while a pusher,
 * through the real gateway's smart HTTP, does what a person does: fetch, reset to the remote
 * head, change another document, commit, push; a refused push is one failure. Reported: the
 * share of pushes that landed at each rate (baseline: the same pushes with no saves, which must
 * all land), and the pusher's cycle time (fetch to push answered) with no load, which is the
 * window a save must not fall into. Then the remedy docs/git.md gives: the same pusher pushes to
 * a branch only it writes and merges it into main (the SDK's merge, as `verso merge` does); a
 * refused push or a failed merge is one failure.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { openVerso, perDb, type Row } from '../env.js';
import { percentile } from '../stats.js';
import { startServer } from '../../gateway/serve.js';

const run = promisify(execFile);
const RATES = [0, 1, 5, 20];

async function git(cwd: string, ...args: string[]): Promise<{ ok: boolean }> {
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_AUTHOR_NAME: 'Pusher', GIT_AUTHOR_EMAIL: 'pusher@example.com', GIT_COMMITTER_NAME: 'Pusher', GIT_COMMITTER_EMAIL: 'pusher@example.com' };
  return run('git', args, { cwd, env }).then(() => ({ ok: true }), () => ({ ok: false }));
}

export const pushLoad = perDb('push-load', async (kind, o) => {
  const pushes = o.quick ? 8 : 20;
  const target = await o.env.target(kind, 'push-load');
  const store = await openVerso(target);
  const server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    const { key } = await store.createKey({ role: 'admin', name: 'bench' });
    await store.createSite({ id: 'pushload', name: 'Push load', locales: ['en'] });
    const saver = store.site('pushload').doc('page', 'busy', 'en');
    await saver.save({ content: { title: 'Busy 0' } });
    const work = await o.env.dir(`push-load-${kind}`);
    const url = `${server.url.replace('http://', `http://verso:${key}@`)}/git/pushload.git`;
    if (!(await git(work, 'clone', '-q', url, 'clone')).ok) throw new Error('push-load: clone failed');
    const clone = join(work, 'clone');
    await mkdir(join(clone, 'page', 'pushed'), { recursive: true });
    const success: Record<number, number> = {};
    const viaMerge: Record<number, number> = {};
    const cycles: number[] = [];
    const pushOnly: number[] = [];
    for (const rate of RATES) {
      let saving = rate > 0;
      let n = 0;
      const saves = (async () => {
        while (saving) {
          const t = performance.now();
          await saver.save({ content: { title: `Busy ${++n}` } });
          await new Promise((r) => setTimeout(r, Math.max(0, 1000 / rate - (performance.now() - t))));
        }
      })();
      let landed = 0;
      for (let i = 0; i < pushes; i++) {
        const t = performance.now();
        await git(clone, 'fetch', '-q', 'origin');
        await git(clone, 'reset', '-q', '--hard', 'origin/main');
        await writeFile(join(clone, 'page', 'pushed', 'en.json'), `${JSON.stringify({ title: `Push ${rate}/${i}` })}\n`);
        await git(clone, 'commit', '-q', '-am', `push ${rate}/${i}`).then(async (r) => (r.ok ? r : git(clone, 'add', '.').then(() => git(clone, 'commit', '-q', '-m', `push ${rate}/${i}`))));
        const p = performance.now();
        if ((await git(clone, 'push', '-q', 'origin', 'HEAD:main')).ok) landed++;
        if (rate === 0) {
          cycles.push(performance.now() - t);
          pushOnly.push(performance.now() - p);
        }
      }
      // The remedy (docs/git.md): push to a branch only this pusher writes, then merge it.
      const branch = `import-${rate}`;
      await git(clone, 'checkout', '-q', '-B', branch, 'origin/main');
      let merged = 0;
      for (let i = 0; i < pushes; i++) {
        await writeFile(join(clone, 'page', 'pushed', 'en.json'), `${JSON.stringify({ title: `Merge ${rate}/${i}` })}\n`);
        await git(clone, 'add', '-A');
        await git(clone, 'commit', '-q', '-m', `merge ${rate}/${i}`);
        if (!(await git(clone, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`)).ok) continue;
        if (await store.site('pushload').merge(branch, { into: 'main' }).then(() => true, () => false)) merged++;
      }
      await git(clone, 'checkout', '-q', '--detach');
      saving = false;
      await saves;
      success[rate] = landed / pushes;
      viaMerge[rate] = merged / pushes;
    }
    for (const rate of RATES.filter((r) => r > 0)) {
      rows.push({ name: `push success at ${rate} saves/s on the branch (${kind})`, unit: 'share', verso: success[rate]!, baseline: success[0]!, baselineName: 'same pushes, no saves', ratio: success[0] ? success[rate]! / success[0] : NaN });
      rows.push({ name: `push to own branch + merge, success at ${rate} saves/s on main (${kind})`, unit: 'share', verso: viaMerge[rate]!, baseline: viaMerge[0]!, baselineName: 'same, no saves', ratio: viaMerge[0] ? viaMerge[rate]! / viaMerge[0] : NaN });
    }
    notes.push(`push-load (${kind}): pusher cycle (fetch, commit, push) with no load, p50 ${percentile(cycles, 50).toFixed(0)} ms over ${cycles.length}, of which \`git push\` alone p50 ${percentile(pushOnly, 50).toFixed(0)} ms; a save landing inside the cycle makes git refuse the push as non-fast-forward (the client refuses before sending)`);
  } finally {
    await server.close();
    await store.close();
  }
  return { rows, notes };
});
