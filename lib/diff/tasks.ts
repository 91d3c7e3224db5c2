/**
 * What a diff worker computes: the API's diffs (unified, words, json) and the compare page's
 * side-by-side rows, as pure functions of the two contents. They run in worker threads
 * (pool.ts), never on the event loop, and each stops at its edit budget (lines.ts).
 */
import { diffWordsWithSpace, formatPatch, structuredPatch, type StructuredPatch } from 'diff';
import type { Diff, Format } from '../types.js';
import { decodeContent } from '../content.js';
import { fieldDiff } from '../ops/fieldDiff.js';
import { MAX_EDIT_LENGTH } from './lines.js';
import { contentAsText, fieldRows, lineRows, type FieldRow, type LineRow } from './rows.js';

export type DiffBody = Omit<Diff, 'from' | 'to'>;

export type DiffTask =
  | { kind: 'diff'; format: Diff['format']; a: string; b: string; path: string; from: number; to: number; docFormat: Format }
  | { kind: 'rows'; view: 'fields' | 'lines'; a: unknown; b: unknown };

export type RowsResult = { view: 'fields'; rows: FieldRow[]; coarse: boolean } | { view: 'lines'; rows: LineRow[]; coarse: boolean };

export function runTask(task: DiffTask): DiffBody | RowsResult {
  if (task.kind === 'rows') {
    if (task.view === 'fields') return { view: 'fields', rows: fieldRows(task.a, task.b), coarse: false };
    const info: { coarse?: boolean } = {};
    const rows = lineRows(contentAsText(task.a), contentAsText(task.b), info);
    return { view: 'lines', rows, coarse: info.coarse === true };
  }
  return diffBody(task);
}

function diffBody(t: Extract<DiffTask, { kind: 'diff' }>): DiffBody {
  if (t.format === 'json') {
    const fields = fieldDiff(decodeContent(Buffer.from(t.a), t.docFormat), decodeContent(Buffer.from(t.b), t.docFormat));
    return { format: 'json', fields, stats: { additions: fields.filter((f) => f.op !== 'remove').length, deletions: fields.filter((f) => f.op !== 'add').length } };
  }
  if (t.format === 'words') {
    const changes = diffWordsWithSpace(t.a, t.b, { maxEditLength: MAX_EDIT_LENGTH });
    const words = changes
      ? changes.map((p) => ({ op: p.added ? ('add' as const) : p.removed ? ('remove' as const) : ('equal' as const), text: p.value }))
      : [{ op: 'remove' as const, text: t.a }, { op: 'add' as const, text: t.b }].filter((w) => w.text !== '');
    const stats = { additions: words.filter((w) => w.op === 'add').length, deletions: words.filter((w) => w.op === 'remove').length };
    return changes ? { format: 'words', words, stats } : { format: 'words', words, stats, coarse: true };
  }
  const headers = [`a/${t.path}`, `b/${t.path}`, t.a, t.b, `version ${t.from}`, `version ${t.to}`] as const;
  const exact = structuredPatch(...headers, { maxEditLength: MAX_EDIT_LENGTH });
  const patch = exact ?? coarsePatch(...headers);
  let additions = 0;
  let deletions = 0;
  for (const h of patch.hunks) for (const l of h.lines) l.startsWith('+') ? additions++ : l.startsWith('-') ? deletions++ : 0;
  const body: DiffBody = { format: 'unified', unified: formatPatch(patch), stats: { additions, deletions } };
  return exact ? body : { ...body, coarse: true };
}

/** Every old line removed and every new line added: one hunk, linear in the size. */
function coarsePatch(oldName: string, newName: string, a: string, b: string, oldHeader: string, newHeader: string): StructuredPatch {
  const side = (text: string, sign: '-' | '+'): string[] => {
    if (text === '') return [];
    const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n').map((l) => sign + l);
    if (!text.endsWith('\n')) lines.push('\\ No newline at end of file');
    return lines;
  };
  const removed = side(a, '-');
  const added = side(b, '+');
  const count = (lines: string[]) => lines.filter((l) => !l.startsWith('\\')).length;
  const oldLines = count(removed);
  const newLines = count(added);
  const hunks = oldLines + newLines === 0 ? [] : [{ oldStart: oldLines ? 1 : 0, oldLines, newStart: newLines ? 1 : 0, newLines, lines: [...removed, ...added] }];
  return { oldFileName: oldName, newFileName: newName, oldHeader, newHeader, hunks };
}
