/**
 * Parses a commit object's text the way isomorphic-git's GitCommit.parse does (the reader verso
 * used before): the first header is `tree`, the `parent` lines follow it directly, the first
 * `author` and `committer` count, and the message is what follows the first blank line, with
 * carriage returns dropped and exactly one newline at the end.
 *
 * Why our own: isomorphic-git reads a commit by loading the whole pack it lives in, and every
 * batch of saves writes a new pack (writePack.ts), so a walk over fresh heads (takeNumber.ts)
 * spent 20–60 ms per commit there; our pack reader (readPacked.ts) reads one object.
 * Anything of another shape returns undefined and the caller asks isomorphic-git, whose errors
 * stay the reference for odd commits.
 */
import type { Oid } from '../types.js';
import type { CommitInfo, GitIdentity } from './types.js';

const OID = /^[0-9a-f]{40}$/;
const IDENT = /^(.*) <(.*)> (\d+) ([+-])(\d\d)(\d\d)$/;

export function parseCommit(oid: Oid, bytes: Uint8Array): CommitInfo | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const split = text.indexOf('\n\n');
  if (split < 0) return undefined;
  const lines = text.slice(0, split).split('\n');
  const header = (line: string | undefined, key: string) => (line?.startsWith(`${key} `) ? line.slice(key.length + 1) : undefined);
  const tree = header(lines[0], 'tree');
  if (!tree || !OID.test(tree)) return undefined;
  const parents: Oid[] = [];
  let i = 1;
  for (let p = header(lines[i], 'parent'); p !== undefined; p = header(lines[++i], 'parent')) {
    if (!OID.test(p)) return undefined;
    parents.push(p as Oid);
  }
  let author: GitIdentity | undefined;
  let committer: GitIdentity | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const a = author ? undefined : header(line, 'author');
    if (a !== undefined) {
      if (!(author = parseIdentity(a))) return undefined;
      continue;
    }
    const c = committer ? undefined : header(line, 'committer');
    if (c !== undefined && !(committer = parseIdentity(c))) return undefined;
  }
  if (!author || !committer) return undefined;
  const message = `${text.slice(split + 2).replace(/\r/g, '').replace(/^\n+/, '').replace(/\n+$/, '')}\n`;
  return { oid, tree: tree as Oid, parents, author, committer, message };
}

function parseIdentity(value: string): GitIdentity | undefined {
  const m = IDENT.exec(value);
  if (!m) return undefined;
  const minutes = Number(m[5]) * 60 + Number(m[6]);
  // isomorphic-git's sign convention (Date#getTimezoneOffset): +0100 is -60; -0000 stays -0,
  // so a commit written back keeps the zone git wrote.
  const offset = m[4] === '+' ? (minutes === 0 ? 0 : -minutes) : minutes === 0 ? -0 : minutes;
  return { name: m[1]!, email: m[2]!, timestamp: Number(m[3]), timezoneOffset: offset };
}
