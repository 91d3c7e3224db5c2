/**
 * The pre-receive decision, in one place for both ways it runs: in the hook program (a push
 * straight into a site repository, hooks/preReceive.ts) and in the gateway process, asked by
 * the tiny hook client over the gateway's local channel (gateway/git/hookChannel.ts). Same
 * validation (lib/ops/validatePush.ts), same refusals, same messages.
 */
import { clearPushLocks } from '../lib/ops/clearPushLocks.js';
import { describeProblems, validatePush, type RefUpdate } from '../lib/ops/validatePush.js';

export interface PreReceiveCheckArgs {
  /** What git gave the hook on stdin: `<old> <new> <ref>` lines. */
  input: string;
  /** The repository, absolute. */
  gitDir: string;
  /** The site's rules; undefined when neither the gateway nor a hook config gave them. */
  locales?: string[];
  maxBytes?: number;
  /** 'inherit' in the hook itself (the quarantine is in its environment). */
  env: 'inherit' | 'clean';
  /** The hook's quarantine variables, when the check runs outside the hook. */
  gitEnv?: Record<string, string>;
}

export interface PreReceiveOutcome {
  /** The hook's exit status: 0 accepts, 1 refuses the whole push. */
  code: number;
  /** What the hook prints (git shows it as `remote:` lines). */
  text: string;
}

export function parseUpdates(input: string): RefUpdate[] {
  return input
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((p) => p.length === 3)
    .map(([old, next, ref]) => ({ old: old!, new: next!, ref: ref! }));
}

/**
 * Checks a push and, when it passes, clears the stale locks on its refs (lib/ops/clearPushLocks.ts),
 * so that a killed writer cannot block it.
 * @example
 *   const { code, text } = await checkPreReceive({ input, gitDir, locales: ['en'], maxBytes: 10 << 20, env: 'inherit' });
 */
export async function checkPreReceive(a: PreReceiveCheckArgs): Promise<PreReceiveOutcome> {
  const updates = parseUpdates(a.input);
  if (!updates.length) return { code: 0, text: '' };
  if (!a.locales || !a.maxBytes) {
    return { code: 1, text: 'verso refused this push: this repository has no verso hook config; run `verso hooks install <site>`\n' };
  }
  try {
    const problems = await validatePush({ updates, rules: { locales: a.locales, maxBytes: a.maxBytes }, gitDir: a.gitDir, env: a.env, ...(a.gitEnv ? { gitEnv: a.gitEnv } : {}) });
    if (problems.length) return { code: 1, text: describeProblems(problems) };
    const removed = await clearPushLocks({ gitDir: a.gitDir, refs: updates.map((u) => u.ref) });
    return { code: 0, text: removed.map((ref) => `verso: removed a stale lock on ${ref} (its holder is no longer running)\n`).join('') };
  } catch (err) {
    return { code: 1, text: `verso refused this push: the check failed: ${err instanceof Error ? err.message : String(err)}\n` };
  }
}
