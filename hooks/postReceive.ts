/**
 * post-receive (pushes straight into a site repository, not through the gateway): indexes
 * the pushed commits through the running server, or with the store opened here. It never
 * fails the push (the refs have moved already); what it cannot index now, start-up reconcile
 * or `verso fsck --repair` indexes later.
 */
import { readHookConfig } from './config.js';
import { hookGitDir, readStdin, reason, say } from './io.js';

export async function postReceive(): Promise<number> {
  await readStdin();
  // The gateway indexes its pushes itself, in its own process, before answering them.
  if (process.env.VERSO_GATEWAY_PUSH === '1') return 0;
  const config = await readHookConfig(await hookGitDir());
  if (!config) {
    say('verso: no hook config here; the push is kept and will be indexed when verso next starts');
    return 0;
  }
  try {
    const { indexSite } = await import('./viaServer.js');
    const done = await indexSite({ site: config.site, dataDir: config.dataDir, databaseUrl: config.databaseUrl });
    if (done.indexed) say(`verso: indexed ${done.indexed} commit(s) of site ${config.site}`);
  } catch (err) {
    say(`verso: could not index the pushed commits now (${reason(err)}); they are kept and verso indexes them when it next starts, or run \`verso fsck --repair\``);
  }
  return 0;
}
