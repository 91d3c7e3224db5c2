import { VersoError } from './base.js';
import { errorCodeRow } from './codes.js';
import { PushDeclinedError } from './pushDeclined.js';
import { RefLockedError } from './refLocked.js';

/**
 * Turns an error body received over HTTP back into the same class the embedded store throws,
 * so `instanceof` works alike for both (classes come from the one table in codes.ts).
 */
export function errorFromJSON(body: { code?: unknown; message?: unknown; details?: unknown }): VersoError {
  const code = typeof body.code === 'string' ? body.code : 'internal';
  const message = typeof body.message === 'string' ? body.message : 'request failed';
  const details = body.details && typeof body.details === 'object' ? (body.details as Record<string, unknown>) : {};
  // A locked ref is `unavailable` with reason ref_locked; servers before 0.2 sent `ref_locked`.
  if ((code === 'unavailable' && details.reason === RefLockedError.reason) || code === 'ref_locked') return new RefLockedError(message, details);
  if (code === 'invalid_input' && details.reason === PushDeclinedError.reason) return new PushDeclinedError(message, details);
  const Cls = errorCodeRow(code)?.class;
  return Cls ? new Cls(message, details) : new VersoError(code, message, details);
}
