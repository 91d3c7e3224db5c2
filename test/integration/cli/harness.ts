/**
 * Runs the real `verso` CLI in a child process (`node --import tsx lib/cli/main.ts`, cwd = the
 * repository root) with an environment cleaned of every VERSO_* and DATABASE_URL variable, so
 * a test names its store explicitly and can never touch a developer's ./.verso or database.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('VERSO_') || name === 'DATABASE_URL' || name === 'FORCE_COLOR') continue;
    env[name] = value;
  }
  return { ...env, NO_COLOR: '1', LOG_LEVEL: 'warn', ...extra };
}

function spawnCli(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], { cwd: repoRoot, env: cleanEnv(env) });
}

/** Runs one command to completion; `input` is piped on stdin (stdin is closed either way). */
export function verso(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawnCli(args, opts.env ?? {});
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything printed on stdout up to the banner's last line. */
  banner: string;
  url: string;
  stderr(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts `verso serve` and resolves once it prints the address it listens on. */
export function startServe(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ServeProcess> {
  const child = spawnCli(['serve', ...args], opts.env ?? {});
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`verso serve did not start in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 90_000);
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      const url = /verso is serving (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url && stdout.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        done({ child, banner: stdout, url, stderr: () => stderr, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`verso serve exited with ${code} before listening\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}
