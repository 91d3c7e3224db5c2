/** Runs a TypeScript script in a child Node process (through tsx) and collects its output. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout lines parsed as JSON (lines that are not JSON are skipped). */
  messages: unknown[];
}

export function runScript(script: string, args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 120_000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const messages: unknown[] = [];
      for (const line of stdout.split('\n')) {
        try {
          if (line.trim()) messages.push(JSON.parse(line));
        } catch {
          /* not a message */
        }
      }
      resolve({ code, signal, stdout, stderr, messages });
    });
  });
}

export interface RunningScript {
  /** Resolves with the first stdout JSON message, once the script has printed one. */
  firstMessage: Promise<unknown>;
  /** Sends SIGKILL and resolves once the process is gone. */
  kill(): Promise<void>;
  pid: number;
}

/** Starts a script that prints a JSON line when it is ready (holding a lock, say) and then waits. */
export function startScript(script: string, args: string[], env: Record<string, string | undefined> = {}): RunningScript {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const firstMessage = new Promise<unknown>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l, i, all) => i < all.length - 1 && l.trim().startsWith('{'));
      if (line !== undefined) resolve(JSON.parse(line));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code, signal) => reject(new Error(`${script} exited (${code ?? signal}) before it was ready: ${stderr}`)));
  });
  firstMessage.catch(() => undefined);
  return {
    pid: child.pid!,
    firstMessage,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
