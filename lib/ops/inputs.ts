/**
 * Validation of the small inputs every write shares (author, message, metadata, enums).
 * Each refuses with ValidationError naming the field, before anything is written.
 */
import { ValidationError } from '../errors/index.js';
import { LIMITS } from '../schemas/inputs.js';
import { checkJsonValue, checkText } from '../schemas/storable.js';
import type { Author } from '../types.js';

const EMAIL = /^[^@\s<>]+@[^@\s<>]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

export function parseAuthor(value: Author | string | undefined, fallback = 'verso'): Author {
  const raw: Author = value === undefined ? { name: fallback } : typeof value === 'string' ? { name: value } : value;
  if (!raw || typeof raw !== 'object' || typeof raw.name !== 'string') {
    throw new ValidationError('author must be a name or { name, email }', { field: 'author' });
  }
  checkText(raw.name, 'author.name');
  const name = raw.name.trim();
  if (!name || name.length > 200 || CONTROL.test(name) || /[<>]/.test(name)) {
    throw new ValidationError('author.name must be 1-200 printable characters without < or >', { field: 'author.name' });
  }
  if (raw.email !== undefined && (typeof raw.email !== 'string' || !EMAIL.test(raw.email) || raw.email.length > 254)) {
    throw new ValidationError(`author.email is not an email address`, { field: 'author.email' });
  }
  if (typeof raw.email === 'string') checkText(raw.email, 'author.email');
  return raw.email ? { name, email: raw.email } : { name };
}

export function parseMessage(value: unknown, fallback: string): string {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string' || value.length > LIMITS.message) {
    throw new ValidationError(`message must be a string of at most ${LIMITS.message} characters`, { field: 'message' });
  }
  checkText(value, 'message');
  // Trailer-looking lines would be read back as verso's own trailers.
  return value.replace(/^(verso-[a-z-]+):/gim, '$1 -');
}

export function parseMetadata(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('metadata must be an object', { field: 'metadata' });
  }
  // Before stringifying: a too-deep value would overflow the stack there.
  checkJsonValue(value, 'metadata');
  const text = JSON.stringify(value);
  if (text.length > 65_536) throw new ValidationError('metadata is over 64 KiB', { field: 'metadata' });
  return JSON.parse(text) as Record<string, unknown>;
}

/** A name or text PostgreSQL stores (a site or key name, a comment body): 1-`max` characters. */
export function parseStoredText(value: unknown, field: string, max: number, opts: { trim?: boolean } = {}): string {
  if (typeof value !== 'string' || !value.trim() || value.length > max) {
    throw new ValidationError(`${field} must be 1-${max} characters`, { field });
  }
  checkText(value, field);
  return opts.trim ? value.trim() : value;
}

export function parseEnum<T extends string>(value: unknown, allowed: readonly T[], field: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(`${field} must be one of ${allowed.join(', ')}`, { field });
  }
  return value as T;
}

export function parseLimit(value: unknown, fallback = 50, max = 500): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max) {
    throw new ValidationError(`limit must be an integer from 1 to ${max}`, { field: 'limit' });
  }
  return n;
}

export function parseIdempotencyKey(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length < 1 || value.length > 200 || CONTROL.test(value)) {
    throw new ValidationError('idempotencyKey must be 1-200 printable characters', { field: 'idempotencyKey' });
  }
  return value;
}

/** Opaque cursors: base64url JSON, refused cleanly when tampered with. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: unknown, check: (v: unknown) => v is T): T | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    if (typeof cursor !== 'string') throw new Error('not a string');
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(v)) return v;
  } catch {
    /* fall through */
  }
  throw new ValidationError('cursor is not valid; pass the `next` value of a previous page', { field: 'cursor' });
}
