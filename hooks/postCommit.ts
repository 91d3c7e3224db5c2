/**
 * post-commit (a working clone with verso's hook): syncs the commit's branch into the site's
 * repository (fast-forward only) and indexes it, so each commit becomes versions. The commit
 * stays in the clone whatever happens; when the site's branch has moved on, pull and commit
 * (or `verso sync`) again.
 */
import { ConflictError } from '../lib/errors/index.js';
import { runGit } from '../lib/ops/runGit.js';
import { readHookConfig } from './config.js';
import { hookGitDir, reason, say } from './io.js';
import { syncInto } from './viaServer.js';

export async function postCommit(): Promise<number> {
  const gitDir = await hookGitDir();
  const config = await readHookConfig(gitDir);
  if (!config) return 0;
  const head = await runGit({ gitDir, args: ['symbolic-ref', '--short', '-q', 'HEAD'] });
  const branch = head.stdout.toString('utf8').trim();
  if (head.status !== 0 || !branch) return 0; // detached HEAD: nothing to sync
  try {
    const r = await syncInto({ site: config.site, dataDir: config.dataDir, databaseUrl: config.databaseUrl, from: gitDir, branch, maxBytes: config.maxBytes });
    if (!r.upToDate) say(`verso: ${r.commits} commit(s) saved to ${config.site}/${branch} (${r.indexed} indexed)`);
  } catch (err) {
    if (err instanceof ConflictError) say(`verso: ${config.site}/${branch} has moved on; pull it (git pull --rebase) and commit again. Your commit is kept here.`);
    else say(`verso: not synced to ${config.site} (${reason(err)}). Your commit is kept here; run \`verso sync ${config.site} --from . --branch ${branch}\` to retry.`);
  }
  return 0;
}
