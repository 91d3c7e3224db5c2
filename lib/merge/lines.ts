/**
 * Line-level three-way merge (diff3, node-diff3) shared by the text and markdown drivers.
 * Lines are the pieces of `text.split('\n')`, so joining them with '\n' gives the text back
 * byte for byte (a final newline is a final empty line).
 */
import { diff3Merge } from 'node-diff3';

export const splitLines = (text: string): string[] => text.split('\n');
export const joinLines = (lines: string[]): string => lines.join('\n');

export const sameLines = (a: string[] | undefined, b: string[] | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((l, i) => l === b[i]));

/** A region both sides changed differently, with its place in `ours` (0-based line index). */
export interface LineConflict {
  oursStart: number;
  base: string[];
  ours: string[];
  theirs: string[];
}

export type LineChunk = { ok: string[] } | { conflict: LineConflict };

/** diff3 of three line lists; identical changes on both sides are not conflicts. */
export function diff3Lines(base: string[], ours: string[], theirs: string[]): LineChunk[] {
  if (sameLines(ours, theirs) || sameLines(base, theirs)) return [{ ok: ours }];
  if (sameLines(base, ours)) return [{ ok: theirs }];
  return diff3Merge(ours, base, theirs, { excludeFalseConflicts: true }).map((r) =>
    r.conflict
      ? { conflict: { oursStart: r.conflict.aIndex, base: r.conflict.o, ours: r.conflict.a, theirs: r.conflict.b } }
      : { ok: r.ok ?? [] },
  );
}
