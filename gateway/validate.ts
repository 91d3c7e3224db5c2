/**
 * Request validation against the input schemas the OpenAPI document publishes, with the same
 * checker (and so the same error details) as the embedded store (lib/schemas/check.ts).
 * Bodies are validated as sent, with paths relative to the body (`author.email`), exactly as
 * an SDK input; query strings and path parameters are strings on the wire, so their validator
 * coerces ("20" → 20) before checking. Path parameter problems are named `path.<name>`.
 */
import { checkInput } from '../lib/schemas/check.js';
import type { JsonSchema } from './schemas.js';

export type Part = 'body' | 'query' | 'path';

/**
 * Returns a validated (and, for strings, coerced) copy of `value`, or throws ValidationError
 * listing every problem in `details.errors`.
 */
export function validate<T>(schema: JsonSchema, value: unknown, part: Part): T {
  return checkInput<T>(schema, value, part === 'body' ? {} : part === 'query' ? { coerce: true } : { coerce: true, prefix: 'path' });
}
