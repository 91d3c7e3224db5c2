/**
 * Who holds a lock file, and whether that holder can still be running. A lock verso takes
 * starts with one line naming its holder: pid, the process's start time and this boot's id
 * (Linux: /proc/<pid>/stat field 22 and /proc/sys/kernel/random/boot_id), and the host. A
 * pid alone is not enough: pids are reused, and after a reboot every old holder is gone.
 * Locks without that line (git's own, or one caught between create and write) are judged
 * by age only.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface Holder {
  pid: number;
  /** Start time in clock ticks since boot; absent where /proc is not available. */
  start?: string;
  boot?: string;
  host: string;
}

/** `alive`: the holder is running; `dead`: it cannot be; `unknown`: judge by age. */
export type Verdict = 'alive' | 'dead' | 'unknown';

const MARK = 'verso-lock';

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat (starttime), or undefined when the process does not exist. */
export function processStart(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // Field 2 (comm) is in parentheses and may hold spaces or ')': fields 3.. follow the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return rest[22 - 3];
}

let bootId: string | undefined | null = null;
function currentBoot(): string | undefined {
  if (bootId === null) bootId = readProc('/proc/sys/kernel/random/boot_id')?.trim() || undefined;
  return bootId;
}

let selfLine: string | undefined;
/** The holder line of this process, newline-terminated. */
export function holderLine(): string {
  if (selfLine === undefined) {
    const start = processStart(process.pid);
    const boot = currentBoot();
    selfLine = `${MARK} pid=${process.pid}${start ? ` start=${start}` : ''}${boot ? ` boot=${boot}` : ''} host=${encodeURIComponent(hostname())}\n`;
  }
  return selfLine;
}

/** The holder named by a lock's content, or undefined when it names none. */
export function parseHolder(text: string): Holder | undefined {
  const first = text.split('\n', 1)[0]!;
  // Data-dir locks of older builds held a bare pid (same host, no start time).
  if (/^[1-9][0-9]{0,9}$/.test(first.trim())) return { pid: Number(first.trim()), host: hostname() };
  if (!first.startsWith(`${MARK} `)) return undefined;
  const fields = new Map(first.slice(MARK.length + 1).split(' ').map((kv) => kv.split('=', 2) as [string, string]));
  const pid = Number(fields.get('pid'));
  const host = fields.get('host');
  if (!Number.isSafeInteger(pid) || pid <= 0 || host === undefined) return undefined;
  return { pid, host: decodeURIComponent(host), ...(fields.has('start') ? { start: fields.get('start') } : {}), ...(fields.has('boot') ? { boot: fields.get('boot') } : {}) };
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function judgeHolder(holder: Holder | undefined): Verdict {
  if (!holder || holder.host !== hostname()) return 'unknown';
  const boot = currentBoot();
  if (holder.boot && boot && holder.boot !== boot) return 'dead';
  if (!pidRuns(holder.pid)) return 'dead';
  if (holder.start === undefined) return 'alive';
  const start = processStart(holder.pid);
  // A different start time means the pid now belongs to another process.
  if (start === undefined) return pidRuns(holder.pid) ? 'alive' : 'dead';
  return start === holder.start ? 'alive' : 'dead';
}
