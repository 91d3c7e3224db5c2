/**
 * Turns a document body into the exact bytes stored in Git, and back. JSON is written canonical
 * (keys sorted, two-space indent, final newline) so equal content has equal blob hashes and
 * line diffs stay readable.
 */
import { ValidationError } from './errors/index.js';
import { checkJsonNumbers, checkJsonValue, checkText } from './schemas/storable.js';
import type { Format } from './types.js';

function canonicalValue(value: unknown, path: string, seen: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(`content${path} is not a finite number`, { field: 'content', path });
    return value;
  }
  if (typeof value !== 'object') {
    throw new ValidationError(`content${path} is a ${typeof value}, which JSON cannot hold`, { field: 'content', path });
  }
  if (seen.has(value)) throw new ValidationError(`content${path} is circular`, { field: 'content', path });
  seen.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((v, i) => canonicalValue(v, `${path}[${i}]`, seen));
  } else {
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      // Defined, not assigned: `sorted.__proto__ = v` would set the prototype and lose the key.
      Object.defineProperty(sorted, k, { value: canonicalValue(v, `${path}.${k}`, seen), enumerable: true, writable: true, configurable: true });
    }
    out = sorted;
  }
  seen.delete(value);
  return out;
}

/**
 * Canonical JSON text of a value: sorted keys, two-space indent, final newline.
 * @throws ValidationError for what JSON cannot hold exactly (see lib/schemas/storable.ts).
 */
export function canonicalJson(value: unknown): string {
  // NUL is fine in JSON text (written as \u0000); this blob goes to Git, not to PostgreSQL.
  checkJsonValue(value, 'content', { allowNul: true });
  return JSON.stringify(canonicalValue(value, '', new Set()), null, 2) + '\n';
}

/** Chooses the format when the caller gave none: the document's, else by the content's type. */
export function inferFormat(content: unknown, given: Format | undefined, existing: Format | undefined): Format {
  if (given) return given;
  if (existing) return existing;
  return typeof content === 'string' ? 'text' : 'json';
}

/** The bytes to store for `content` in `format`; refuses content that does not fit the format. */
export function encodeContent(content: unknown, format: Format): Uint8Array {
  if (format === 'json') {
    let value = content;
    if (typeof content === 'string') {
      // A string declared json is JSON text: it must parse, and its numbers must survive it.
      checkJsonNumbers(content, 'content');
      try {
        value = JSON.parse(content);
      } catch (err) {
        throw new ValidationError(`content is declared json but is not valid JSON: ${(err as Error).message}`, { field: 'content' }, err);
      }
    }
    if (value === undefined) throw new ValidationError('content is required', { field: 'content' });
    return Buffer.from(canonicalJson(value), 'utf8');
  }
  if (typeof content !== 'string') {
    throw new ValidationError(`content must be a string for format ${format}`, { field: 'content' });
  }
  checkText(content, 'content', { allowNul: true });
  return Buffer.from(content, 'utf8');
}

export function decodeContent(bytes: Uint8Array, format: Format): unknown {
  const text = Buffer.from(bytes).toString('utf8');
  return format === 'json' ? JSON.parse(text) : text;
}
