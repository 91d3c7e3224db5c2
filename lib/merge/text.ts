/**
 * Plain text three-way merge: diff3 over lines. A region both sides changed differently is a
 * conflict named `lines <a>-<b>`, 1-based and inclusive, counted in `ours` (the target branch);
 * a region where ours has no lines is named by the line it would start at (`lines 5-5`).
 * A resolution's value is the text that replaces the region.
 */
import { diff3Lines, joinLines, splitLines } from './lines.js';
import type { DriverConflict, DriverInput, DriverResult, Settlement } from './types.js';

/**
 * The lines a settlement puts in place of a region. A value is text ('' = no lines; anything
 * else is split at '\n'); the caller validated it is a string.
 */
export function settledLines(s: Settlement, region: { base: string[]; ours: string[]; theirs: string[] }): string[] {
  if ('take' in s) return region[s.take];
  return typeof s.value === 'string' && s.value !== '' ? splitLines(s.value) : [];
}

export function linesName(oursStart: number, count: number): string {
  const first = oursStart + 1;
  return `lines ${first}-${Math.max(first, oursStart + count)}`;
}

export function mergeText({ base, ours, theirs, resolve }: DriverInput<string>): DriverResult<string> {
  const conflicts: DriverConflict[] = [];
  const out: string[] = [];
  for (const chunk of diff3Lines(splitLines(base ?? ''), splitLines(ours), splitLines(theirs))) {
    if ('ok' in chunk) {
      out.push(...chunk.ok);
      continue;
    }
    const r = chunk.conflict;
    const c: DriverConflict = { path: linesName(r.oursStart, r.ours.length), base: joinLines(r.base), ours: joinLines(r.ours), theirs: joinLines(r.theirs) };
    const settled = resolve?.(c);
    if (settled === undefined) {
      conflicts.push(c);
      out.push(...r.ours);
    } else {
      out.push(...settledLines(settled, r));
    }
  }
  return { value: joinLines(out), conflicts };
}
