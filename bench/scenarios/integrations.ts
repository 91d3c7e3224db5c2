/**
 * Integrations: pushing 100 mapped documents to a Git remote (served by `git http-backend`, as in
 * the tests) one by one, then one drift check of all 100. Baseline: the git CLI doing the same
 * work by hand in a shallow clone (write, add, commit, push per document; fetch + ls-tree for
 * the check), over the local file transport: the CLI hung pushing through the test CGI bridge
 * (a chunked request body, we think), so the baseline pays no HTTP and flatters git. Each verso push is a shallow fetch, a commit and a push, plus the mapping row.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git } from '../../test/helpers/git.js';
import { startGitRemote } from '../../test/helpers/gitRemoteServer.js';
import { type BenchOptions, type DbKind, type Row, type ScenarioResult, perDb } from '../env.js';
import { ratio } from '../stats.js';

function body(i: number): string {
  return `# PRD ${i}\n\n${'Requirement text that engineers review and edit. '.repeat(40)}\n`;
}

async function runOn(kind: DbKind, o: BenchOptions): Promise<ScenarioResult> {
  const n = o.quick ? 20 : 100;
  const prev = process.env.VERSO_ALLOW_PRIVATE_REMOTES;
  process.env.VERSO_ALLOW_PRIVATE_REMOTES = '1';
  const remote = await startGitRemote({ seed: { 'README.md': '# bench\n' } });
  try {
    const { verso } = await o.env.sharedFor(kind);
    const site = verso.site('integ');
    await verso.createSite({ id: 'integ', name: 'Integrations bench', locales: ['en'] });
    await site.createIntegration({ name: 'remote', kind: 'git', url: remote.url, username: remote.username, token: remote.token, pathTemplate: 'docs/{key}.md' });
    for (let i = 0; i < n; i++) await site.doc('prd', `doc-${i}`).save({ content: body(i), format: 'markdown', message: 'Draft' });
    o.log(`  integrations (${kind}): push ${n} documents, then check them`);
    let t = performance.now();
    for (let i = 0; i < n; i++) await site.doc('prd', `doc-${i}`).push('remote');
    const pushMs = (performance.now() - t) / n;
    t = performance.now();
    const report = await site.checkIntegration('remote');
    const checkMs = performance.now() - t;
    o.log(`  integrations (${kind}): verso pushed ${n} in ${(pushMs * n / 1000).toFixed(1)} s, checked in ${checkMs.toFixed(0)} ms; now the git CLI`);
    if (report.length !== n || report.some((m) => m.status !== 'in_sync')) throw new Error('integrations bench: the check did not find every document in sync');

    // The same pushes by hand with the git CLI, into a second branch of the same remote.
    const work = join(await o.env.dir('integrations-cli'), 'work');
    const g = (args: string[], cwd = work) => git(cwd, args);
    g(['clone', '-q', '--depth', '1', `file://${remote.bare}`, work], dirname(work));
    g(['checkout', '-q', '-b', 'cli']);
    t = performance.now();
    for (let i = 0; i < n; i++) {
      const file = join(work, 'docs', `doc-${i}.md`);
      mkdirSync(dirname(file), { recursive: true });
      // The clone already holds verso's pushes: write other bytes so each commit has a change.
      writeFileSync(file, `${body(i)}(by hand)\n`);
      g(['add', 'docs']);
      g(['commit', '-q', '-m', `doc ${i}`]);
      g(['push', '-q', 'origin', 'HEAD:refs/heads/cli']);
    }
    const cliPushMs = (performance.now() - t) / n;
    t = performance.now();
    g(['fetch', '-q', '--depth', '1', 'origin', 'cli']);
    g(['ls-tree', '-r', 'FETCH_HEAD']);
    const cliCheckMs = performance.now() - t;
    const rows: Row[] = [
      { name: `integration push, per document of ${n} (${kind})`, unit: 'ms', verso: pushMs, baseline: cliPushMs, baselineName: 'git CLI add+commit+push, file transport', ratio: ratio(pushMs, cliPushMs) },
      { name: `integration check of ${n} mapped documents (${kind})`, unit: 'ms', verso: checkMs, baseline: cliCheckMs, baselineName: 'git CLI fetch --depth 1 + ls-tree, file transport', ratio: ratio(checkMs, cliCheckMs) },
    ];
    return { rows, notes: [`integrations (${kind}): ${n} pushes reached the remote as ${remote.pushes} receive-pack requests`] };
  } finally {
    await remote.stop();
    if (prev === undefined) delete process.env.VERSO_ALLOW_PRIVATE_REMOTES;
    else process.env.VERSO_ALLOW_PRIVATE_REMOTES = prev;
  }
}

export const integrations = perDb('integrations', runOn);
