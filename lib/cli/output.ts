/**
 * Printing: one JSON document for `--json`, aligned columns and optional colour for people.
 * Colour is used only when the stream is a terminal and NO_COLOR is unset (https://no-color.org);
 * FORCE_COLOR=1 turns it on anyway (useful in CI logs).
 */
import type { Io, OutStream } from './io.js';

export interface Palette {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const ANSI = (open: number, close: number) => (s: string) => (s ? `\u001b[${open}m${s}\u001b[${close}m` : s);
const plain = (s: string) => s;

export function useColor(io: Io, stream: OutStream = io.stdout): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && io.env.TERM !== 'dumb';
}

export function palette(enabled: boolean): Palette {
  if (!enabled) return { green: plain, red: plain, yellow: plain, cyan: plain, bold: plain, dim: plain };
  return { green: ANSI(32, 39), red: ANSI(31, 39), yellow: ANSI(33, 39), cyan: ANSI(36, 39), bold: ANSI(1, 22), dim: ANSI(2, 22) };
}

export function printJson(io: Io, value: unknown): void {
  io.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function printLine(io: Io, line = ''): void {
  io.stdout.write(line + '\n');
}

/** Writes text as-is, adding a final newline when it lacks one. */
export function printText(io: Io, text: string): void {
  io.stdout.write(text.endsWith('\n') || text === '' ? text : text + '\n');
}

// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-9;]*m/g;
const visibleLength = (s: string) => s.replace(ESCAPES, '').length;

/**
 * Lays rows out in columns two spaces apart. Trailing empty cells are trimmed so lines carry
 * no trailing blanks; `right` names columns aligned to the right (numbers).
 */
export function columns(rows: string[][], opts: { right?: number[] } = {}): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  const right = new Set(opts.right ?? []);
  return rows.map((row) => {
    const cells = row.map((cell, i) => {
      const pad = ' '.repeat((widths[i] ?? 0) - visibleLength(cell));
      if (right.has(i)) return pad + cell;
      return i === row.length - 1 ? cell : cell + pad;
    });
    return cells.join('  ').trimEnd();
  });
}

/** "just now", "5 minutes ago", "3 days ago"; past a month, the date. */
export function age(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return iso;
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (seconds < 45) return 'just now';
  const units: Array<[number, string]> = [
    [60, 'minute'],
    [3600, 'hour'],
    [86400, 'day'],
  ];
  if (seconds >= 30 * 86400) return then.toISOString().slice(0, 10);
  let chosen: [number, string] = units[0]!;
  for (const u of units) if (seconds >= u[0]) chosen = u;
  const n = Math.max(1, Math.round(seconds / chosen[0]));
  return `${n} ${chosen[1]}${n === 1 ? '' : 's'} ago`;
}

/** A message trimmed to its first line and `max` characters, for one-line listings. */
export function oneLine(text: string, max = 60): string {
  const first = text.split('\n')[0] ?? '';
  return first.length > max ? first.slice(0, max - 1) + '…' : first;
}
