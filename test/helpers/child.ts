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
  /** Resolves with the n-th (1-based) stdout JSON message; rejects if the script exits first. */
  message(n: number): Promise<unknown>;
  /** Sends SIGKILL and resolves once the process is gone. */
  kill(): Promise<void>;
  pid: number;
  /** Resolves when the process has exited (by itself or killed). */
  exited: Promise<void>;
}

/** Starts a script that prints JSON lines as it goes (ready, holding a lock, ...) and waits. */
export function startScript(script: string, args: string[], env: Record<string, string | undefined> = {}): RunningScript {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const messages: unknown[] = [];
  const waiters: Array<() => void> = [];
  let closed = false;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const lines = stdout.split('\n');
    stdout = lines.pop()!;
    for (const line of lines) {
      try {
        if (line.trim().startsWith('{')) messages.push(JSON.parse(line));
      } catch {
        /* not a message */
      }
    }
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once('close', () => {
      closed = true;
      for (const w of waiters.splice(0)) w();
      resolve();
    }),
  );
  const message = (n: number): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (messages.length >= n) resolve(messages[n - 1]);
        else if (closed) reject(new Error(`${script} exited (${child.exitCode ?? child.signalCode}) before message ${n}: ${stderr}`));
        else waiters.push(check);
      };
      check();
    });
  const firstMessage = message(1);
  firstMessage.catch(() => undefined);
  return {
    pid: child.pid!,
    exited,
    firstMessage,
    message,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
