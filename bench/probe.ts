/**
 * Counts what a piece of work costs in round trips: fsync calls (FileHandle.sync, which verso's
 * object writer, lock files and directory syncs all use) and SQL statements sent through knex.
 * Patches prototypes for the duration of `measure` only; used for the notes under the table,
 * never around timed samples.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexModule from 'knex';

export interface ProbeCounts {
  fsyncs: number;
  statements: number;
  /** Statement texts (first 60 characters) with their counts. */
  sql: Map<string, number>;
  /**
   * CPU time the whole machine spent meanwhile (user + system, every process: PostgreSQL's
   * backends too), in ms; NaN where /proc/stat is absent. On a 2-core machine, work that costs
   * C ms of CPU per save cannot exceed 2000 / C saves/s, however it is scheduled.
   */
  cpuMs: number;
}

/** User + system CPU of every core since boot, in ms (Linux /proc/stat; NaN elsewhere). */
async function machineCpuMs(): Promise<number> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/);
    // cpu user nice system idle iowait irq softirq steal …, in USER_HZ (100 per second on Linux).
    const [user, nice, system, , , irq, softirq] = line.slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq!) * 10;
  } catch {
    return Number.NaN;
  }
}

type AnyFn = (...args: unknown[]) => Promise<unknown>;

export async function measure(work: () => Promise<void>): Promise<ProbeCounts> {
  const scratch = join(tmpdir(), `verso-bench-probe-${process.pid}`);
  const fh = await open(scratch, 'w');
  const fileProto = Object.getPrototypeOf(fh) as { sync: AnyFn };
  await fh.close();
  await unlink(scratch);
  const clientProto = (knexModule as unknown as { Client: { prototype: { query: AnyFn } } }).Client.prototype;
  const counts: ProbeCounts = { fsyncs: 0, statements: 0, sql: new Map(), cpuMs: Number.NaN };
  const origSync = fileProto.sync;
  const origQuery = clientProto.query;
  fileProto.sync = function (this: unknown, ...args: unknown[]) {
    counts.fsyncs++;
    return origSync.apply(this, args);
  };
  clientProto.query = function (this: unknown, ...args: unknown[]) {
    counts.statements++;
    const obj = args[1] as string | { sql?: string };
    const text = (typeof obj === 'string' ? obj : obj?.sql ?? '').replace(/\s+/g, ' ').slice(0, 60);
    counts.sql.set(text, (counts.sql.get(text) ?? 0) + 1);
    return origQuery.apply(this, args);
  };
  const cpuBefore = await machineCpuMs();
  try {
    await work();
    counts.cpuMs = (await machineCpuMs()) - cpuBefore;
  } finally {
    fileProto.sync = origSync;
    clientProto.query = origQuery;
  }
  return counts;
}
