/**
 * What the push check reads from git (validatePush.ts): the files a range of commits adds or
 * changes, the type and size of objects, and which JSON blobs do not parse. Each is one git
 * process for the whole push, not one per file.
 */
import { git, runGit } from './runGit.js';

/** How the checks run git: the repository and the environment (the quarantine, in a hook). */
export interface GitRun {
  gitDir?: string;
  env: 'inherit' | 'clean';
  extraEnv?: Record<string, string>;
}

export interface Change {
  commit: string;
  parent?: string;
  path: string;
  mode: string;
  blob: string;
}

/** Parses `git log -z --raw --format=%x01%H %P` into added or modified files. */
export function parseRawLog(out: string): Change[] {
  const tokens = out.split('\0');
  const changes: Change[] = [];
  let commit = '';
  let parent: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.replace(/^\n+/, '');
    if (t.startsWith('\x01')) {
      const [c, p] = t.slice(1).trim().split(' ');
      commit = c!;
      parent = p || undefined;
      continue;
    }
    if (!t.startsWith(':')) continue;
    // ":<old mode> <new mode> <old oid> <new oid> <status>" then the path as the next token.
    const [, newMode, , newOid, status] = t.slice(1).split(' ') as [string, string, string, string, string];
    const path = tokens[++i] ?? '';
    if (status.startsWith('D')) continue;
    changes.push({ commit, parent, path, mode: newMode, blob: newOid });
  }
  return changes;
}

export async function batchCheck(run: GitRun, queries: string[]): Promise<Map<string, { type: string; size: number }>> {
  const unique = [...new Set(queries)];
  const out = await git({ ...run, args: ['cat-file', '--batch-check=%(objecttype) %(objectsize) %(rest)'], input: unique.map((q) => `${q} ${q}\n`).join('') });
  const found = new Map<string, { type: string; size: number }>();
  for (const line of out.split('\n')) {
    // "<type> <size> <query>" when present, "<query> missing" otherwise.
    const m = /^(blob|tree|commit|tag) (\d+) (.+)$/.exec(line);
    if (m) found.set(m[3]!, { type: m[1]!, size: Number(m[2]) });
  }
  return found;
}

/** The JSON parse error of each blob that is not valid JSON. */
export async function invalidJson(run: GitRun, blobs: string[]): Promise<Map<string, string>> {
  const bad = new Map<string, string>();
  if (!blobs.length) return bad;
  const r = await runGit({ ...run, args: ['cat-file', '--batch'], input: blobs.map((b) => `${b}\n`).join('') });
  const buf = r.stdout;
  let at = 0;
  while (at < buf.length) {
    const nl = buf.indexOf(10, at);
    if (nl < 0) break;
    const [oid, type, size] = buf.subarray(at, nl).toString('utf8').split(' ');
    if (type === 'missing' || size === undefined) {
      at = nl + 1;
      continue;
    }
    const body = buf.subarray(nl + 1, nl + 1 + Number(size));
    at = nl + 1 + Number(size) + 1;
    const problem = jsonProblem(body);
    if (problem) bad.set(oid!, problem);
  }
  return bad;
}

function jsonProblem(body: Buffer): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return 'not UTF-8 text';
  }
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0]!.slice(0, 200);
  }
}

