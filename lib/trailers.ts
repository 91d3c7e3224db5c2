/**
 * The commit message format that makes the history index derivable from Git alone:
 * a summary, a blank line, then `Verso-*` trailers. A commit that writes several documents
 * (a merge) repeats the block, each starting with `Verso-Doc`.
 */
export interface DocTrailer {
  doc: string;
  version?: number;
  kind?: string;
  source?: string;
  branch?: string;
  action?: string;
  idempotencyKey?: string;
  metadata?: Record<string, unknown>;
  rollbackOf?: number;
}

const FIELDS: Array<[keyof DocTrailer, string]> = [
  ['doc', 'Verso-Doc'],
  ['action', 'Verso-Action'],
  ['kind', 'Verso-Kind'],
  ['source', 'Verso-Source'],
  ['branch', 'Verso-Branch'],
  ['version', 'Verso-Version'],
  ['rollbackOf', 'Verso-Rollback-Of'],
  ['idempotencyKey', 'Verso-Idempotency-Key'],
  ['metadata', 'Verso-Metadata'],
];
const BY_TOKEN = new Map(FIELDS.map(([field, token]) => [token.toLowerCase(), field]));

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

export function formatMessage(summary: string, docs: DocTrailer[]): string {
  const lines: string[] = [];
  for (const d of docs) {
    for (const [field, token] of FIELDS) {
      const v = d[field];
      if (v === undefined) continue;
      if (field === 'metadata' && Object.keys(v as object).length === 0) continue;
      lines.push(`${token}: ${field === 'metadata' ? JSON.stringify(v) : oneLine(String(v))}`);
    }
  }
  const body = summary.trim() || 'Update';
  return `${body}\n\n${lines.join('\n')}\n`;
}

/** Splits a commit message into its summary (trailers removed) and the Verso trailers it carries. */
export function parseMessage(message: string): { summary: string; docs: DocTrailer[] } {
  const lines = message.replace(/\s+$/, '').split('\n');
  let start = lines.length;
  while (start > 0 && /^Verso-[A-Za-z-]+: /.test(lines[start - 1]!)) start--;
  const docs: DocTrailer[] = [];
  for (const line of lines.slice(start)) {
    const idx = line.indexOf(': ');
    const field = BY_TOKEN.get(line.slice(0, idx).toLowerCase());
    const raw = line.slice(idx + 2);
    if (!field) continue;
    if (field === 'doc') {
      docs.push({ doc: raw });
      continue;
    }
    const cur = docs[docs.length - 1];
    if (!cur) continue;
    if (field === 'version' || field === 'rollbackOf') cur[field] = Number(raw);
    else if (field === 'metadata') {
      try {
        cur.metadata = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        cur.metadata = {};
      }
    } else cur[field] = raw;
  }
  const summary = lines.slice(0, start).join('\n').trim();
  return { summary, docs };
}

/**
 * What a commit verso writes into an external repository (an integration push) says about its
 * source: the document, the version and verso's commit. These are deliberately not the
 * version trailers above: the receiving repository may be another verso, whose pre-receive
 * refuses a pushed commit claiming its version numbers (`Verso-Doc` + `Verso-Version`) and
 * which indexes this one as an ordinary pushed commit; `parseMessage` leaves them out of the
 * summary (they are `Verso-*` lines) and reads no document from them.
 */
export interface SourceTrailer {
  doc: string;
  version: number;
  commit: string;
}

const SOURCE_FIELDS: Array<[keyof SourceTrailer, string]> = [
  ['doc', 'Verso-Source-Doc'],
  ['version', 'Verso-Source-Version'],
  ['commit', 'Verso-Source-Commit'],
];

export function formatSourceMessage(summary: string, source: SourceTrailer): string {
  const lines = SOURCE_FIELDS.map(([field, token]) => `${token}: ${oneLine(String(source[field]))}`);
  return `${summary.trim() || 'Update'}\n\n${lines.join('\n')}\n`;
}

/** The source an integration commit names, or undefined when the message carries none. */
export function parseSourceTrailer(message: string): SourceTrailer | undefined {
  const found: Partial<Record<keyof SourceTrailer, string>> = {};
  for (const line of message.split('\n')) {
    for (const [field, token] of SOURCE_FIELDS) if (line.startsWith(`${token}: `)) found[field] ??= line.slice(token.length + 2).trim();
  }
  if (!found.doc) return undefined;
  return { doc: found.doc, version: Number(found.version), commit: found.commit ?? '' };
}
