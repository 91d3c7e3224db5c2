/**
 * Side-by-side rows for comparing two versions: lines for text and markdown, fields for JSON.
 * Pure functions of two contents, run in the diff workers (pool.ts) like every other diff; the
 * compare page only renders what these return. The line changes come from lineChanges(), the
 * same function the API's unified diff is built from, so the page and the API agree.
 */
import { diffArrays, diffWordsWithSpace } from 'diff';
import { MAX_WORD_EDIT_LENGTH, lineChanges, normalizeText } from './lines.js';

/** A run of text inside a changed cell; `changed` runs are highlighted. */
export interface Part {
  text: string;
  changed: boolean;
}

export type RowOp = 'equal' | 'change' | 'add' | 'remove';

export interface LineCell {
  no: number;
  text: string;
  parts?: Part[];
}

export interface LineRow {
  op: RowOp;
  left?: LineCell;
  right?: LineCell;
}

export interface FieldValue {
  text: string;
  /** True for numbers, booleans, null and empty containers: shown as JSON literals. */
  literal: boolean;
  parts?: Part[];
}

export interface FieldRow {
  path: string;
  op: RowOp;
  before?: FieldValue;
  after?: FieldValue;
}

export interface CompareStats {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return body.split('\n');
}

/** Word-level highlight of one line (or string) against another; past the budget, all of it. */
export function wordParts(before: string, after: string): { left: Part[]; right: Part[] } {
  const left: Part[] = [];
  const right: Part[] = [];
  const changes = diffWordsWithSpace(before, after, { maxEditLength: MAX_WORD_EDIT_LENGTH });
  if (!changes) return { left: [{ text: before, changed: true }], right: [{ text: after, changed: true }] };
  for (const change of changes) {
    if (!change.added) left.push({ text: change.value, changed: change.removed });
    if (!change.removed) right.push({ text: change.value, changed: change.added });
  }
  return { left, right };
}

/** Pairs a block of removed lines with the added lines after it, row by row. */
function pairBlock(removed: string[], added: string[], counters: { left: number; right: number }, rows: LineRow[], words = true): void {
  const n = Math.max(removed.length, added.length);
  for (let i = 0; i < n; i++) {
    const l = removed[i];
    const r = added[i];
    if (l !== undefined && r !== undefined) {
      const parts = words ? wordParts(l, r) : { left: [{ text: l, changed: true }], right: [{ text: r, changed: true }] };
      rows.push({ op: 'change', left: { no: ++counters.left, text: l, parts: parts.left }, right: { no: ++counters.right, text: r, parts: parts.right } });
    } else if (l !== undefined) {
      rows.push({ op: 'remove', left: { no: ++counters.left, text: l } });
    } else if (r !== undefined) {
      rows.push({ op: 'add', right: { no: ++counters.right, text: r } });
    }
  }
}

/**
 * Line rows of two texts; a trailing newline (or its absence) is not a change. Past the edit
 * budget (lines.ts) both sides are paired whole, without word highlights, and `coarse` says so.
 */
export function lineRows(before: string, after: string, info: { coarse?: boolean } = {}): LineRow[] {
  const a = normalizeText(before);
  const b = normalizeText(after);
  const changes = lineChanges(a, b);
  const rows: LineRow[] = [];
  const counters = { left: 0, right: 0 };
  if (!changes) {
    info.coarse = true;
    pairBlock(splitLines(a), splitLines(b), counters, rows, false);
    return rows;
  }
  let pendingRemoved: string[] = [];
  for (const change of changes) {
    const lines = splitLines(change.value);
    if (change.removed) {
      pendingRemoved.push(...lines);
    } else if (change.added) {
      pairBlock(pendingRemoved, lines, counters, rows);
      pendingRemoved = [];
    } else {
      pairBlock(pendingRemoved, [], counters, rows);
      pendingRemoved = [];
      for (const text of lines) rows.push({ op: 'equal', left: { no: ++counters.left, text }, right: { no: ++counters.right, text } });
    }
  }
  pairBlock(pendingRemoved, [], counters, rows);
  return rows;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Leaf values by path (`seo.title`, `blocks[0].text`); empty objects and arrays are leaves. */
export function flattenJson(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, i) => flattenJson(item, childPath(prefix, i), out));
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) flattenJson(item, childPath(prefix, key), out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

function fieldValue(value: unknown): FieldValue {
  if (typeof value === 'string') return { text: value, literal: false };
  return { text: value === undefined ? 'undefined' : JSON.stringify(value), literal: true };
}

/** Field rows of two JSON values, in document order, with unchanged fields included. */
export function fieldRows(before: unknown, after: unknown): FieldRow[] {
  const left = flattenJson(before);
  const right = flattenJson(after);
  // Merge the two path orders so an added field sits next to its siblings, not at the end.
  const order: string[] = [];
  for (const change of diffArrays([...left.keys()], [...right.keys()])) order.push(...change.value);
  const rows: FieldRow[] = [];
  const seen = new Set<string>();
  for (const path of order) {
    if (seen.has(path)) continue;
    seen.add(path);
    const inLeft = left.has(path);
    const inRight = right.has(path);
    const b = left.get(path);
    const a = right.get(path);
    if (inLeft && inRight) {
      if (JSON.stringify(b) === JSON.stringify(a)) {
        rows.push({ path, op: 'equal', before: fieldValue(b), after: fieldValue(a) });
        continue;
      }
      const beforeValue = fieldValue(b);
      const afterValue = fieldValue(a);
      if (typeof b === 'string' && typeof a === 'string') {
        const parts = wordParts(b, a);
        beforeValue.parts = parts.left;
        afterValue.parts = parts.right;
      }
      rows.push({ path, op: 'change', before: beforeValue, after: afterValue });
    } else if (inLeft) {
      rows.push({ path, op: 'remove', before: fieldValue(b) });
    } else {
      rows.push({ path, op: 'add', after: fieldValue(a) });
    }
  }
  return rows;
}

export function statsOf(rows: ReadonlyArray<{ op: RowOp }>): CompareStats {
  const stats: CompareStats = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const row of rows) {
    if (row.op === 'add') stats.added++;
    else if (row.op === 'remove') stats.removed++;
    else if (row.op === 'change') stats.changed++;
    else stats.unchanged++;
  }
  return stats;
}

/** Text shown for one version in the line view: strings as is, anything else as pretty JSON. */
export function contentAsText(content: unknown): string {
  return typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;
}
