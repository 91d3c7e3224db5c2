/**
 * What can be stored and read back unchanged. PostgreSQL refuses a NUL (U+0000) in text and
 * jsonb ("unsupported Unicode escape sequence", 22P05 / 22021), and UTF-8 cannot carry a lone
 * UTF-16 surrogate (Node writes U+FFFD instead, silently); JavaScript numbers past 2^53 lose
 * digits and JSON has no Infinity (JSON.stringify writes null). Each check refuses with
 * ValidationError (`details.reason` one of `nul_character`, `lone_surrogate`, `too_deep`,
 * `number_not_exact`, `not_json`) before anything is written.
 */
import { ValidationError } from '../errors/index.js';
import { LIMITS } from './inputs.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const at = (path: string): Record<string, string> => (path ? { path } : {});

/**
 * Refuses text that does not survive UTF-8 and, unless `allowNul`, a NUL (for text that only
 * Git stores, such as a text document's body, NUL is fine).
 */
export function checkText(value: string, field: string, opts: { allowNul?: boolean; path?: string } = {}): void {
  const path = opts.path ?? '';
  if (!opts.allowNul && value.includes('\u0000')) {
    throw new ValidationError(`${field}${path} contains a NUL character (\\u0000), which cannot be stored`, { field, ...at(path), reason: 'nul_character' });
  }
  if (LONE_SURROGATE.test(value)) {
    throw new ValidationError(`${field}${path} contains a lone UTF-16 surrogate, which is not valid Unicode`, { field, ...at(path), reason: 'lone_surrogate' });
  }
}

/** A number JSON holds exactly: finite, and an integer only within ±(2^53 - 1). */
export function checkNumber(value: number, field: string, path = ''): void {
  if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
    throw new ValidationError(
      `${field}${path} is ${String(value)}, a number that does not round-trip (integers must be within ±9007199254740991, and finite)`,
      { field, ...at(path), reason: 'number_not_exact' },
    );
  }
}

/**
 * Walks a JSON value: nesting at most LIMITS.jsonDepth levels, every string and key storable,
 * every number exact, nothing JSON cannot hold. `__proto__` is an ordinary key (kept as data).
 * Paths in messages are JSON Pointers (`/a/0/b`).
 */
export function checkJsonValue(value: unknown, field: string, opts: { allowNul?: boolean } = {}): void {
  const walk = (v: unknown, path: string, depth: number): void => {
    if (v === null || typeof v === 'boolean') return;
    if (typeof v === 'string') return checkText(v, field, { allowNul: opts.allowNul, path });
    if (typeof v === 'number') return checkNumber(v, field, path);
    if (typeof v !== 'object') {
      throw new ValidationError(`${field}${path} is a ${typeof v}, which JSON cannot hold`, { field, ...at(path), reason: 'not_json' });
    }
    if (ancestors.has(v)) throw new ValidationError(`${field}${path} is circular`, { field, ...at(path), reason: 'not_json' });
    if (depth >= LIMITS.jsonDepth) {
      throw new ValidationError(`${field} is nested more than ${LIMITS.jsonDepth} levels deep`, { field, ...at(path), reason: 'too_deep', limit: LIMITS.jsonDepth });
    }
    ancestors.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (v[i] === undefined) throw new ValidationError(`${field}${path}/${i} is undefined, which JSON cannot hold`, { field, path: `${path}/${i}`, reason: 'not_json' });
        walk(v[i], `${path}/${i}`, depth + 1);
      }
      ancestors.delete(v);
      return;
    }
    for (const k of Object.keys(v)) {
      const child = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      checkText(k, field, { allowNul: opts.allowNul, path: child });
      const item = (v as Record<string, unknown>)[k];
      // Dropped by JSON.stringify as it is by every JSON encoder: absent, not a value.
      if (item !== undefined) walk(item, child, depth + 1);
    }
    ancestors.delete(v);
  };
  const ancestors = new Set<object>();
  walk(value, '', 0);
}

// A JSON string (skipped) or a number literal, found left to right; linear (no backtracking).
const TOKEN = /"(?:[^"\\]|\\[\s\S])*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** Sign, significant digits and exponent of a decimal literal, so equal values compare equal. */
function decimal(literal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!m) return literal;
  const [, sign, int, frac = '', exp = '0'] = m as unknown as [string, string, string, string?, string?];
  let digits = (int + frac).replace(/^0+/, '');
  let e = Number(exp) - frac.length;
  if (!digits) return '0';
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  e += trailing;
  return `${sign}${digits}e${e}`;
}

/**
 * The first number literal in JSON text whose value a JavaScript number cannot hold exactly
 * (`1e400`, `9007199254740993`, `0.1000000000000000000001`), or undefined. JSON.parse would
 * turn those into Infinity or another number without saying so; this reads the text itself.
 */
export function findInexactNumber(text: string): string | undefined {
  // Most bodies have no long number at all: skip the scan.
  if (!/\d{16}|[eE][+-]?\d{3}|\d[.\d]{16}/.test(text)) return undefined;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const token = m[0];
    if (token.charCodeAt(0) === 34 /* " */) continue;
    const n = Number(token);
    if (!Number.isFinite(n) || decimal(token) !== decimal(numberText(n))) return token;
  }
  return undefined;
}

/** Number → plain decimal text (String(1e21) is "1e+21", which decimal() reads too). */
function numberText(n: number): string {
  return String(n).replace('e+', 'e');
}

/** Refuses JSON text holding a number that would not round-trip. */
export function checkJsonNumbers(text: string, field: string): void {
  const bad = findInexactNumber(text);
  if (bad !== undefined) {
    throw new ValidationError(
      `${field} holds the number ${bad.slice(0, 40)}, which does not round-trip (integers must be within ±9007199254740991; at most 17 significant digits)`,
      { field, reason: 'number_not_exact', number: bad.slice(0, 40) },
    );
  }
}
