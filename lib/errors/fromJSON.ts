import { VersoError } from './base.js';
import { ValidationError } from './validation.js';
import { NotFoundError } from './notFound.js';
import { ConflictError } from './conflict.js';
import { AuthError } from './auth.js';
import { ForbiddenError } from './forbidden.js';
import { TooLargeError } from './tooLarge.js';
import { PreviewExpiredError } from './previewExpired.js';
import { RateLimitedError } from './rateLimited.js';
import { InternalError } from './internal.js';
import { RefLockedError } from './refLocked.js';

type ErrorClass = new (message: string, data?: Record<string, unknown>) => VersoError;

const byCode: Record<string, ErrorClass> = {
  invalid_input: ValidationError,
  not_found: NotFoundError,
  conflict: ConflictError,
  unauthorized: AuthError,
  forbidden: ForbiddenError,
  too_large: TooLargeError,
  preview_expired: PreviewExpiredError,
  rate_limited: RateLimitedError,
  internal: InternalError,
  ref_locked: RefLockedError,
};

/**
 * Turns an error body received over HTTP back into the same class the embedded store throws,
 * so `instanceof` works alike for both.
 */
export function errorFromJSON(body: { code?: unknown; message?: unknown; details?: unknown }): VersoError {
  const code = typeof body.code === 'string' ? body.code : 'internal';
  const message = typeof body.message === 'string' ? body.message : 'request failed';
  const details = body.details && typeof body.details === 'object' ? (body.details as Record<string, unknown>) : {};
  const Cls = byCode[code];
  return Cls ? new Cls(message, details) : new VersoError(code, message, details);
}
