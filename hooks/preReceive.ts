/**
 * pre-receive: refuses a push whole when a ref or a new file breaks verso's rules
 * (lib/ops/validatePush.ts), naming each offending path. Git then moves no ref.
 * The site's locales and size limit come from the environment the gateway sets
 * (VERSO_HOOK_LOCALES, VERSO_HOOK_MAX_BYTES) or from the hook config. An accepted push first
 * clears the stale locks on its refs (lib/ops/clearPushLocks.ts), so a killed writer cannot
 * block it.
 */
import { clearPushLocks } from '../lib/ops/clearPushLocks.js';
import { describeProblems, validatePush, type RefUpdate } from '../lib/ops/validatePush.js';
import { readHookConfig } from './config.js';
import { hookGitDir, readStdin, reason, say } from './io.js';

export async function preReceive(): Promise<number> {
  const input = await readStdin();
  const updates: RefUpdate[] = input
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((p) => p.length === 3)
    .map(([old, next, ref]) => ({ old: old!, new: next!, ref: ref! }));
  if (!updates.length) return 0;
  const config = await readHookConfig(await hookGitDir());
  const locales = process.env.VERSO_HOOK_LOCALES ? process.env.VERSO_HOOK_LOCALES.split(',') : config?.locales;
  const maxBytes = process.env.VERSO_HOOK_MAX_BYTES ? Number(process.env.VERSO_HOOK_MAX_BYTES) : config?.maxBytes;
  if (!locales || !maxBytes) {
    say('verso refused this push: this repository has no verso hook config; run `verso hooks install <site>`');
    return 1;
  }
  try {
    const problems = await validatePush({ updates, rules: { locales, maxBytes }, env: 'inherit' });
    if (!problems.length) {
      for (const ref of await clearPushLocks({ gitDir: await hookGitDir(), refs: updates.map((u) => u.ref) })) {
        say(`verso: removed a stale lock on ${ref} (its holder is no longer running)`);
      }
      return 0;
    }
    say(describeProblems(problems));
    return 1;
  } catch (err) {
    say(`verso refused this push: the check failed: ${reason(err)}`);
    return 1;
  }
}
