/**
 * The `labels` branch (DESIGN "Labels"): its tree holds one file per label,
 * `<type>/<key>/<locale>/<name>`, whose canonical JSON names the version and its commit; every
 * create, move and removal is one commit whose trailers say what moved, so `git log labels` is
 * the audit trail and rebuildLabels.ts derives the index from it. The trailers are
 * `Verso-Label-*`, never `Verso-Doc`, so nothing that indexes versions mistakes them for one.
 */
import type { CommitInfo } from '../objects/index.js';

export const LABELS_BRANCH = 'labels';
export const LABELS_REF = `refs/heads/${LABELS_BRANCH}`;

export interface LabelTrailers {
  doc: string;
  name: string;
  from?: number;
  to?: number;
  commit?: string;
  /** ISO time with milliseconds (a commit's own time has whole seconds only). */
  at?: string;
}

const TOKENS: Array<[keyof LabelTrailers, string]> = [
  ['doc', 'Verso-Label-Doc'],
  ['name', 'Verso-Label'],
  ['from', 'Verso-Label-From'],
  ['to', 'Verso-Label-To'],
  ['commit', 'Verso-Label-Commit'],
  ['at', 'Verso-Label-At'],
];

export function labelPath(doc: { type: string; key: string; locale: string }, name: string): string {
  return `${doc.type}/${doc.key}/${doc.locale}/${name}`;
}

/** The file a label's path holds: canonical JSON (sorted keys, final newline). */
export function labelFile(version: number, commit: string): Uint8Array {
  return Buffer.from(`${JSON.stringify({ commit, version }, null, 2)}\n`);
}

export function parseLabelFile(bytes: Uint8Array): { version: number; commit: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(bytes).toString('utf8')) as { version?: unknown; commit?: unknown };
    return Number.isSafeInteger(v.version) && typeof v.commit === 'string' ? { version: v.version as number, commit: v.commit } : undefined;
  } catch {
    return undefined;
  }
}

export function formatLabelMessage(summary: string, t: LabelTrailers): string {
  const lines = TOKENS.filter(([field]) => t[field] !== undefined).map(([field, token]) => `${token}: ${String(t[field])}`);
  return `${summary.trim()}\n\n${lines.join('\n')}\n`;
}

/** The trailers and summary of a commit on the labels branch; undefined when it carries none. */
export function parseLabelCommit(c: Pick<CommitInfo, 'message'>): { summary: string; trailers: LabelTrailers } | undefined {
  const lines = c.message.replace(/\s+$/, '').split('\n');
  let start = lines.length;
  while (start > 0 && /^Verso-Label(-[A-Za-z]+)?: /.test(lines[start - 1]!)) start--;
  const t: Partial<Record<keyof LabelTrailers, string>> = {};
  for (const line of lines.slice(start)) {
    const idx = line.indexOf(': ');
    const field = TOKENS.find(([, token]) => token === line.slice(0, idx))?.[0];
    if (field) t[field] = line.slice(idx + 2);
  }
  if (!t.doc || !t.name) return undefined;
  const num = (v: string | undefined) => (v !== undefined && /^[1-9][0-9]{0,9}$/.test(v) ? Number(v) : undefined);
  return {
    summary: lines.slice(0, start).join('\n').trim(),
    trailers: { doc: t.doc, name: t.name, from: num(t.from), to: num(t.to), commit: t.commit, at: t.at },
  };
}
