/**
 * Request validation with ajv against the schemas the OpenAPI document publishes
 * (gateway/schemas.ts). Bodies are validated as sent; query strings and path parameters are
 * strings on the wire, so their validator coerces ("20" → 20) before checking.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ValidationError } from '../lib/errors/index.js';
import { PATTERN_TEXT, type JsonSchema } from './schemas.js';

const addFormats = addFormatsModule.default;

export type Part = 'body' | 'query' | 'path';

function makeAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: coerce, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  return ajv;
}

const bodyAjv = makeAjv(false);
const stringAjv = makeAjv(true);
const cache = new WeakMap<JsonSchema, ValidateFunction>();

function compile(schema: JsonSchema, part: Part): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    fn = (part === 'body' ? bodyAjv : stringAjv).compile(schema);
    cache.set(schema, fn);
  }
  return fn;
}

function describeError(e: ErrorObject, part: Part): { path: string; message: string } {
  const where = e.instancePath ? `${part}${e.instancePath.replace(/\//g, '.')}` : part;
  if (e.keyword === 'additionalProperties') {
    const field = String((e.params as { additionalProperty?: unknown }).additionalProperty);
    return { path: `${where}.${field}`, message: `unknown field ${JSON.stringify(field)} in ${where}` };
  }
  if (e.keyword === 'required') {
    const field = String((e.params as { missingProperty?: unknown }).missingProperty);
    return { path: `${where}.${field}`, message: `${where}.${field} is required` };
  }
  if (e.keyword === 'pattern') {
    const pattern = String((e.params as { pattern?: unknown }).pattern);
    const shown = typeof e.data === 'string' ? `, got ${JSON.stringify(e.data.slice(0, 80))}` : '';
    return { path: where, message: `${where} must be ${PATTERN_TEXT[pattern] ?? `like ${pattern}`}${shown}` };
  }
  return { path: where, message: `${where} ${e.message ?? 'is invalid'}` };
}

/**
 * Returns a validated (and, for strings, coerced) copy of `value`, or throws ValidationError
 * listing every problem in `details.errors`.
 */
export function validate<T>(schema: JsonSchema, value: unknown, part: Part): T {
  const fn = compile(schema, part);
  // ajv coerces in place; never mutate what Express holds.
  const copy: unknown = part === 'body' ? value : { ...(value as Record<string, unknown>) };
  if (fn(copy)) return copy as T;
  // oneOf branches repeat each other's errors; keep one line per path and message.
  const seen = new Set<string>();
  const errors = (fn.errors ?? [])
    .filter((e) => e.keyword !== 'oneOf')
    .map((e) => describeError(e, part))
    .filter((e) => {
      const k = `${e.path}\u0000${e.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  const first = errors[0]?.message ?? `${part} is invalid`;
  throw new ValidationError(errors.length > 1 ? `${first} (and ${errors.length - 1} more)` : first, { errors });
}
