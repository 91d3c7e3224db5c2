/**
 * pre-receive, the full program: refuses a push whole when a ref or a new file breaks verso's
 * rules (lib/ops/validatePush.ts), naming each offending path. Git then moves no ref.
 * The site's locales and size limit come from the environment the gateway sets
 * (VERSO_HOOK_LOCALES, VERSO_HOOK_MAX_BYTES) or from the hook config. Pushes through a running
 * gateway do not come here: the shim runs hooks/preReceiveClient.mjs, which asks the gateway to
 * run the same check (hooks/preReceiveCheck.ts) in its warm process.
 */
import { readHookConfig } from './config.js';
import { hookGitDir, readStdin, say } from './io.js';
import { checkPreReceive, parseUpdates } from './preReceiveCheck.js';

export async function preReceive(): Promise<number> {
  const input = await readStdin();
  if (!parseUpdates(input).length) return 0;
  const gitDir = await hookGitDir();
  const config = await readHookConfig(gitDir);
  const locales = process.env.VERSO_HOOK_LOCALES ? process.env.VERSO_HOOK_LOCALES.split(',') : config?.locales;
  const maxBytes = process.env.VERSO_HOOK_MAX_BYTES ? Number(process.env.VERSO_HOOK_MAX_BYTES) : config?.maxBytes;
  const { code, text } = await checkPreReceive({ input, gitDir, ...(locales ? { locales } : {}), ...(maxBytes ? { maxBytes } : {}), env: 'inherit' });
  if (text) say(text);
  return code;
}
