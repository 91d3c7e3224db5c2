/**
 * Running the `git` program for what isomorphic-git cannot do: checking objects that sit in a
 * push's quarantine (only git's own commands see them), fetching from another repository, and
 * serving smart HTTP. Output is collected as bytes; a non-zero exit becomes GitCommandError.
 */
import { spawn } from 'node:child_process';

export interface RunGitArgs {
  args: string[];
  /** Runs `git --git-dir <gitDir> …`; omit to use the environment's repository (a hook). */
  gitDir?: string;
  input?: string | Uint8Array;
  /**
   * 'inherit' keeps the caller's GIT_* variables: a hook needs them, since git passes the
   * quarantine directory (GIT_QUARANTINE_PATH, GIT_OBJECT_DIRECTORY…) that way. 'clean' (the
   * default) drops them, so a hook's GIT_DIR or GIT_INDEX_FILE cannot leak into another repo.
   */
  env?: 'inherit' | 'clean';
  /**
   * Variables set on top of `env`: the gateway checks a push for its pre-receive hook and
   * passes the hook's quarantine (GIT_OBJECT_DIRECTORY…) this way (gateway/git/hookChannel.ts).
   */
  extraEnv?: Record<string, string>;
  cwd?: string;
}

export interface GitOutput {
  status: number;
  stdout: Buffer;
  stderr: string;
}

/** git exited with a non-zero status; `stderr` holds what it said. */
export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly status: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (${status}): ${lastLines(stderr)}`);
    this.name = 'GitCommandError';
  }
}

export function gitEnvironment(mode: 'inherit' | 'clean' = 'clean'): NodeJS.ProcessEnv {
  if (mode === 'inherit') return { ...process.env };
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  // Never prompt for credentials from a server or a hook: fail instead.
  env.GIT_TERMINAL_PROMPT = '0';
  return env;
}

/** Runs git and resolves with its exit status and output, whatever the status. */
export function runGit(a: RunGitArgs): Promise<GitOutput> {
  const args = a.gitDir ? ['--git-dir', a.gitDir, ...a.args] : a.args;
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: a.cwd, env: { ...gitEnvironment(a.env), ...a.extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? 128, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    // git may exit before reading all input (a missing object): that EPIPE is not our error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(a.input ?? '');
  });
}

/** Runs git and returns stdout as text; throws GitCommandError on a non-zero exit. */
export async function git(a: RunGitArgs): Promise<string> {
  const r = await runGit(a);
  if (r.status !== 0) throw new GitCommandError(a.args, r.status, r.stderr);
  return r.stdout.toString('utf8');
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ') || 'no message';
}
