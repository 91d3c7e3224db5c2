/**
 * Markdown three-way merge by section. A section is an ATX heading line (`#` to `######`,
 * outside fenced code) and the lines up to the next heading; the lines before the first heading
 * are the section named ''. Sections are matched by heading text (a repeated heading gets
 * ` (2)`, ` (3)`, ...), so a section edited on one side and another edited on the other merge
 * without looking at lines at all. A section edited on both sides merges line by line (diff3);
 * what still overlaps is a conflict named `#<heading>` whose values are the section's text
 * (heading line included), and a resolution's value replaces the whole section. Setext
 * headings (underlined) are not section breaks. Both sides reordering sections differently is
 * a conflict on the whole document (path '').
 */
import { mergeKeyedSequence, type KeyedItem } from './keyedSequence.js';
import { diff3Lines, joinLines, sameLines, splitLines } from './lines.js';
import { settledLines } from './text.js';
import type { DriverConflict, DriverInput, DriverResult } from './types.js';

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

interface Parsed {
  sections: KeyedItem<string[]>[];
  /** The text ended with a newline (kept apart so sections can move without losing it). */
  finalNewline: boolean;
}

export function parseSections(text: string): Parsed {
  const lines = splitLines(text);
  const finalNewline = lines.length > 1 && lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  const sections: KeyedItem<string[]>[] = [];
  const seen = new Map<string, number>();
  let current: KeyedItem<string[]> = { id: '', value: [] };
  let fence: string | undefined;
  for (const line of lines) {
    const f = FENCE.exec(line);
    if (f) {
      const mark = f[1]!;
      if (fence === undefined) fence = mark;
      else if (mark[0] === fence[0] && mark.length >= fence.length) fence = undefined;
    }
    const h = fence === undefined && !f ? HEADING.exec(line) : null;
    if (h) {
      if (current.id !== '' || current.value.length) sections.push(current);
      const title = (h[2] ?? '').trim();
      const n = (seen.get(title) ?? 0) + 1;
      seen.set(title, n);
      current = { id: n === 1 ? title : `${title} (${n})`, value: [line] };
    } else {
      current.value.push(line);
    }
  }
  if (current.id !== '' || current.value.length) sections.push(current);
  return { sections, finalNewline };
}

const render = (sections: KeyedItem<string[]>[], finalNewline: boolean): string =>
  joinLines(sections.flatMap((s) => s.value)) + (finalNewline ? '\n' : '');

export function mergeMarkdown({ base, ours, theirs, resolve }: DriverInput<string>): DriverResult<string> {
  const [b, o, t] = [parseSections(base ?? ''), parseSections(ours), parseSections(theirs)];
  const conflicts: DriverConflict[] = [];
  const settle = (c: DriverConflict, region: { base: string[]; ours: string[]; theirs: string[] }, unresolved: string[] | undefined) => {
    const s = resolve?.(c);
    if (s === undefined) {
      conflicts.push(c);
      return unresolved;
    }
    // Taking a side where the section is absent (or an empty value) removes the section.
    const lines = settledLines(s, region);
    return lines.length ? lines : undefined;
  };

  const { items, orderConflict } = mergeKeyedSequence<string[]>({
    base: b.sections,
    ours: o.sections,
    theirs: t.sections,
    mergeItem: (id, bs, os, ts) => {
      if (sameLines(os, ts)) return os;
      if (sameLines(bs, os)) return ts;
      if (sameLines(bs, ts)) return os;
      const text = (l: string[] | undefined) => (l === undefined ? undefined : joinLines(l));
      const c: DriverConflict = { path: `#${id}`, base: text(bs), ours: text(os), theirs: text(ts) };
      const region = { base: bs ?? [], ours: os ?? [], theirs: ts ?? [] };
      // Removed on one side, edited on the other: nothing to merge line by line.
      if (os === undefined || ts === undefined) return settle(c, region, os);
      const chunks = diff3Lines(bs ?? [], os, ts);
      if (chunks.every((ch) => 'ok' in ch)) return chunks.flatMap((ch) => ('ok' in ch ? ch.ok : []));
      return settle(c, region, os);
    },
  });
  const finalNewline = o.finalNewline === t.finalNewline || b.finalNewline === t.finalNewline ? o.finalNewline : t.finalNewline;
  const merged = render(items, finalNewline);
  if (!orderConflict) return { value: merged, conflicts };
  const c: DriverConflict = { path: '', base, ours, theirs };
  const s = resolve?.(c);
  if (s === undefined) return { value: merged, conflicts: [...conflicts, c] };
  if ('take' in s) return { value: (s.take === 'base' ? base : s.take === 'ours' ? ours : theirs) ?? '', conflicts };
  return { value: typeof s.value === 'string' ? s.value : '', conflicts };
}
