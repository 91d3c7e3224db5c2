/**
 * Checks an input against its schema (lib/schemas/inputs.ts) with ajv and refuses it with ONE
 * error shape, whoever checks: the embedded store, the remote client or the gateway.
 * `details` is `{ field, errors: [{ path, message }] }` where `path` is the dotted path inside
 * the input (`author.email`), `field` the first of them.
 *
 * Values from a query string or a path are strings on the wire, so the gateway checks those
 * with `coerce` ("20" → 20); SDK calls are checked as given.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ValidationError } from '../errors/index.js';
import { PATTERN_TEXT, type JsonSchema } from './inputs.js';

const addFormats = addFormatsModule.default;

function makeAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: coerce, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  return ajv;
}

const exactAjv = makeAjv(false);
const coercingAjv = makeAjv(true);
const exactCache = new WeakMap<JsonSchema, ValidateFunction>();
const coercingCache = new WeakMap<JsonSchema, ValidateFunction>();

function compile(schema: JsonSchema, coerce: boolean): ValidateFunction {
  const cache = coerce ? coercingCache : exactCache;
  let fn = cache.get(schema);
  if (!fn) {
    fn = (coerce ? coercingAjv : exactAjv).compile(schema);
    cache.set(schema, fn);
  }
  return fn;
}

export interface InputError {
  path: string;
  message: string;
}

const join = (a: string, b: string): string => (a ? `${a}.${b}` : b);

function describeError(e: ErrorObject, prefix: string, label: string): InputError {
  const inner = e.instancePath.split('/').slice(1).join('.');
  const where = join(prefix, inner);
  const shownWhere = where || label;
  if (e.keyword === 'additionalProperties') {
    const field = String((e.params as { additionalProperty?: unknown }).additionalProperty);
    return { path: join(where, field), message: `unknown field ${JSON.stringify(field)} in ${shownWhere}` };
  }
  if (e.keyword === 'required') {
    const field = String((e.params as { missingProperty?: unknown }).missingProperty);
    return { path: join(where, field), message: `${join(where, field)} is required` };
  }
  if (e.keyword === 'pattern') {
    const pattern = String((e.params as { pattern?: unknown }).pattern);
    const shown = typeof e.data === 'string' ? `, got ${JSON.stringify(e.data.slice(0, 80))}` : '';
    return { path: where, message: `${shownWhere} must be ${PATTERN_TEXT[pattern] ?? `like ${pattern}`}${shown}` };
  }
  return { path: where, message: `${shownWhere} ${e.message ?? 'is invalid'}` };
}

export interface CheckOptions {
  /** Coerce strings (query strings, path segments). Default false. */
  coerce?: boolean;
  /** Prepended to every path (the gateway's `path` parameters). Default none. */
  prefix?: string;
  /** How a message names the whole input when the problem is at its root. Default `input`. */
  label?: string;
}

/**
 * Returns `value` (a coerced copy with `coerce`), or throws ValidationError listing every
 * problem in `details.errors`.
 * @throws ValidationError (invalid_input) with `details: { field, errors: [{ path, message }] }`.
 * @example
 *   checkInput(bodyInputs.createBranch, { name: 'draft-2', form: 'main' });
 *   // ValidationError: unknown field "form" in input
 */
export function checkInput<T>(schema: JsonSchema, value: unknown, opts: CheckOptions = {}): T {
  const coerce = opts.coerce ?? false;
  const fn = compile(schema, coerce);
  // ajv coerces in place; never mutate what the caller holds.
  const subject: unknown = coerce && value && typeof value === 'object' ? { ...(value as Record<string, unknown>) } : value;
  if (fn(subject)) return subject as T;
  // oneOf branches repeat each other's errors; keep one line per path and message.
  const seen = new Set<string>();
  const errors = (fn.errors ?? [])
    .filter((e) => e.keyword !== 'oneOf')
    .map((e) => describeError(e, opts.prefix ?? '', opts.label ?? 'input'))
    .filter((e) => {
      const k = `${e.path}\u0000${e.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  const first = errors[0] ?? { path: opts.prefix ?? '', message: `${opts.prefix || opts.label || 'input'} is invalid` };
  throw new ValidationError(errors.length > 1 ? `${first.message} (and ${errors.length - 1} more)` : first.message, { field: first.path || (opts.label ?? 'input'), errors });
}
