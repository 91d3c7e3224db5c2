/**
 * A small pool of worker threads for diffs, so that one large compare never stalls the gateway
 * (measured before: one 20,000-line diff held the event loop for 145 s and /healthz waited
 * 22.8 s). Each task has a time budget: past it the worker is terminated (Myers cannot be
 * interrupted from inside) and the caller gets TooLargeError with `reason: 'diff_budget'`. An
 * aborted task (the HTTP client left) is dropped from the queue or its worker terminated.
 * Workers start on first use, are kept while idle without holding the process open, and are
 * replaced after a termination.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TooLargeError } from '../errors/index.js';
import type { DiffTask } from './tasks.js';

export interface DiffPool {
  run<T>(task: DiffTask, opts?: { signal?: AbortSignal }): Promise<T>;
  /** Terminates every worker; queued tasks are refused. */
  close(): Promise<void>;
}

export interface DiffPoolOptions {
  /** Worker threads at most (default VERSO_DIFF_WORKERS, else half the cores, at least 1). */
  size?: number;
  /** Milliseconds a task may run (default VERSO_DIFF_BUDGET_MS, else 3000). */
  budgetMs?: number;
}

interface Job {
  task: DiffTask;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

// From dist/ the worker is plain .js. Under tsx (tests, `npm start`) it is .ts, and Node 20 does
// not pass the main thread's loader hooks to workers: a two-line bootstrap registers tsx first.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './worker.ts' : './worker.js', import.meta.url);

function startWorker(): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL);
  // tsx's ESM API registers its hooks in the thread that calls register(); its entry is read
  // from tsx's own exports map (resolving it from here would pick the CommonJS build).
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(join(dirname(pkgFile), pkg.exports['./esm/api']!.import.default)).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(boot, { eval: true });
}

function envInt(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

/** The caller went away (DOM naming, as fetch uses); nobody is left to answer. */
class AbortedError extends Error {
  override name = 'AbortError';
  constructor() {
    super('the diff was cancelled');
  }
}

export function createDiffPool(opts: DiffPoolOptions = {}): DiffPool {
  const size = opts.size ?? envInt('VERSO_DIFF_WORKERS') ?? Math.max(1, Math.floor(availableParallelism() / 2));
  const budgetMs = opts.budgetMs ?? envInt('VERSO_DIFF_BUDGET_MS') ?? 3000;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let closed = false;

  const spawn = (): Slot => {
    const slot: Slot = { worker: startWorker(), ready: false };
    slot.worker.unref();
    slot.worker.on('message', (msg: { ready?: true; ok?: boolean; value?: unknown; message?: string }) => {
      if (msg.ready) {
        slot.ready = true;
        dispatch();
        return;
      }
      const job = finish(slot);
      if (!job) return;
      if (msg.ok) job.resolve(msg.value);
      else job.reject(new Error(msg.message));
      dispatch();
    });
    slot.worker.on('error', (err) => {
      const job = finish(slot);
      drop(slot);
      job?.reject(err);
      // A worker that cannot even start would fail the same way again: refuse what waits.
      if (!slot.ready) for (const waiting of queue.splice(0)) waiting.reject(err);
      dispatch();
    });
    slot.worker.on('exit', () => {
      const job = finish(slot);
      drop(slot);
      job?.reject(new Error('a diff worker exited'));
      if (job) dispatch();
    });
    slots.push(slot);
    return slot;
  };

  /** Detaches the running job from its slot (its timer and abort listener too). */
  const finish = (slot: Slot): Job | undefined => {
    const job = slot.job;
    if (!job) return undefined;
    slot.job = undefined;
    clearTimeout(slot.timer);
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    // An idle worker must not keep a CLI process alive; a busy one must.
    slot.worker.unref();
    return job;
  };

  const drop = (slot: Slot) => {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
  };

  const kill = (slot: Slot, err: unknown) => {
    const job = finish(slot);
    drop(slot);
    void slot.worker.terminate();
    job?.reject(err);
    dispatch();
  };

  const dispatch = () => {
    while (queue.length > 0) {
      const slot = slots.find((s) => s.ready && !s.job);
      if (!slot) {
        // A starting worker takes the queue when it says it is ready.
        if (slots.length < size && slots.every((s) => s.ready)) spawn();
        return;
      }
      const job = queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(
        () => kill(slot, new TooLargeError(`the diff took longer than its budget of ${budgetMs} ms; compare smaller ranges or use format words`, { reason: 'diff_budget', budgetMs })),
        budgetMs,
      );
      if (job.signal) {
        job.onAbort = () => kill(slot, new AbortedError());
        job.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      slot.worker.postMessage(job.task);
    }
  };

  return {
    run<T>(task: DiffTask, o: { signal?: AbortSignal } = {}): Promise<T> {
      if (closed) return Promise.reject(new Error('the diff pool is closed'));
      if (o.signal?.aborted) return Promise.reject(new AbortedError());
      return new Promise<T>((resolve, reject) => {
        const job: Job = { task, resolve: resolve as (v: unknown) => void, reject, signal: o.signal };
        queue.push(job);
        // Aborted while still queued: leave the queue (once running, dispatch's listener kills it).
        o.signal?.addEventListener('abort', () => {
          const i = queue.indexOf(job);
          if (i >= 0) {
            queue.splice(i, 1);
            reject(new AbortedError());
          }
        }, { once: true });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the diff pool is closed'));
      await Promise.all(slots.splice(0).map((s) => {
        finish(s)?.reject(new Error('the diff pool is closed'));
        return s.worker.terminate();
      }));
    },
  };
}
