/** Small helpers shared by the hook programs. */
import { runGit } from '../lib/ops/runGit.js';

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The git dir of the repository the hook runs for, absolute (git tells it through GIT_DIR or the cwd). */
export async function hookGitDir(): Promise<string> {
  const r = await runGit({ args: ['rev-parse', '--absolute-git-dir'], env: 'inherit' });
  if (r.status !== 0) throw new Error(`not in a git repository: ${r.stderr.trim()}`);
  return r.stdout.toString('utf8').trim();
}

export function say(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
