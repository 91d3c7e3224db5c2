/**
 * Git's object encodings, byte for byte: the `<type> <len>\0` frame whose sha1 is the object
 * id, and the text formats of commits and tags (Documentation/technical/ and fsck.c are the
 * reference; `git fsck --strict` in the tests checks the result).
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors/index.js';
import type { Oid } from '../types.js';
import type { GitIdentity } from './types.js';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

/** An object ready to be stored: its id and its uncompressed framed bytes. */
export interface FramedObject {
  oid: Oid;
  framed: Buffer;
}

export function frameObject(type: ObjectType, body: Uint8Array): FramedObject {
  const header = Buffer.from(`${type} ${body.byteLength}\0`, 'latin1');
  const framed = Buffer.concat([header, body]);
  const oid = createHash('sha1').update(framed).digest('hex') as Oid;
  return { oid, framed };
}

export function hashObject(type: ObjectType, body: Uint8Array): Oid {
  return createHash('sha1')
    .update(`${type} ${body.byteLength}\0`, 'latin1')
    .update(body)
    .digest('hex') as Oid;
}

const OID = /^[0-9a-f]{40}$/;

export function assertOid(value: unknown, field: string): asserts value is Oid {
  if (typeof value !== 'string' || !OID.test(value)) {
    throw new ValidationError(`${field} must be a 40-character lowercase hex object id`, { field });
  }
}

// fsck_ident() rejects '<', '>' and newlines inside a name or email; NUL would end the line.
const IDENT_FORBIDDEN = /[<>\n\0]/;

function formatIdentity(ident: GitIdentity, field: string): string {
  const { name, email, timestamp, timezoneOffset } = ident;
  if (typeof name !== 'string' || name.trim() === '' || IDENT_FORBIDDEN.test(name)) {
    throw new ValidationError(`${field} name must be non-empty without <, > or newlines`, { field });
  }
  if (typeof email !== 'string' || IDENT_FORBIDDEN.test(email)) {
    throw new ValidationError(`${field} email must not contain <, > or newlines`, { field });
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new ValidationError(`${field} timestamp must be whole seconds since the epoch`, { field });
  }
  if (!Number.isInteger(timezoneOffset) || Math.abs(timezoneOffset) >= 24 * 60) {
    throw new ValidationError(`${field} timezoneOffset must be whole minutes within a day`, { field });
  }
  return `${name} <${email}> ${timestamp} ${formatTimezone(timezoneOffset)}`;
}

/** isomorphic-git counts minutes west of UTC (UTC+2 is -120); Git writes `+0200`. */
function formatTimezone(offset: number): string {
  const sign = offset > 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}${mm}`;
}

/** Git stores messages verbatim; `git commit` ends them with one newline, and so do we. */
function normalizeMessage(message: string, field: string): string {
  if (typeof message !== 'string' || message.includes('\0')) {
    throw new ValidationError(`${field} must be a string without NUL bytes`, { field });
  }
  return message === '' || message.endsWith('\n') ? message : `${message}\n`;
}

export function serializeCommit(args: {
  tree: Oid;
  parents: readonly Oid[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}): Buffer {
  let head = `tree ${args.tree}\n`;
  for (const parent of args.parents) head += `parent ${parent}\n`;
  head += `author ${formatIdentity(args.author, 'author')}\n`;
  head += `committer ${formatIdentity(args.committer, 'committer')}\n`;
  return Buffer.from(`${head}\n${normalizeMessage(args.message, 'message')}`, 'utf8');
}

export function serializeTag(args: {
  object: Oid;
  type: ObjectType;
  tag: string;
  tagger: GitIdentity;
  message: string;
}): Buffer {
  if (typeof args.tag !== 'string' || args.tag === '' || /[\s\0]/.test(args.tag)) {
    throw new ValidationError('tag name must be non-empty without whitespace', { field: 'tag' });
  }
  const text =
    `object ${args.object}\ntype ${args.type}\ntag ${args.tag}\n` +
    `tagger ${formatIdentity(args.tagger, 'tagger')}\n\n${normalizeMessage(args.message, 'message')}`;
  return Buffer.from(text, 'utf8');
}
