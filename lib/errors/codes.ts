/**
 * The ONE table of error codes. Every reader takes its column from here: the gateway (HTTP
 * status, `Retry-After`), the remote client (an answer without a body → a code by status),
 * `errorFromJSON` (code → class) and the OpenAPI document (the `code` enum and the error
 * responses). A code that is not in this table is answered as `internal`.
 */
import type { VersoError } from './base.js';
import { AuthError } from './auth.js';
import { ConflictError } from './conflict.js';
import { ForbiddenError } from './forbidden.js';
import { InternalError } from './internal.js';
import { NotFoundError } from './notFound.js';
import { NotImplementedError } from './notImplemented.js';
import { PreviewExpiredError } from './previewExpired.js';
import { RateLimitedError } from './rateLimited.js';
import { TooLargeError } from './tooLarge.js';
import { UnavailableError } from './unavailable.js';
import { ValidationError } from './validation.js';

export type ErrorClass = new (message: string, data?: Record<string, unknown>) => VersoError;

export interface ErrorCodeRow {
  /** The class the embedded store throws and the remote client rebuilds. */
  class: ErrorClass;
  status: number;
  /** The answer carries `Retry-After` (seconds, from `details.retryAfterSeconds`). */
  retryAfter: boolean;
  /** The name of the shared OpenAPI response and what it means. */
  response: string;
  description: string;
}

export const ERROR_CODES = {
  invalid_input: { class: ValidationError, status: 400, retryAfter: false, response: 'InvalidInput', description: "the request was refused before anything was written (an integration's Git remote that declined a push: `details.reason` `push_declined`)." },
  unauthorized: { class: AuthError, status: 401, retryAfter: false, response: 'Unauthorized', description: 'no API key, or one that is not valid.' },
  forbidden: { class: ForbiddenError, status: 403, retryAfter: false, response: 'Forbidden', description: "the key's role may not do this." },
  not_found: { class: NotFoundError, status: 404, retryAfter: false, response: 'NotFound', description: 'no such resource, or one the key may not see.' },
  conflict: { class: ConflictError, status: 409, retryAfter: false, response: 'Conflict', description: 'the document moved past `baseVersion`, or a name is taken.' },
  preview_expired: { class: PreviewExpiredError, status: 410, retryAfter: false, response: 'PreviewExpired', description: 'past its expiry or use limit.' },
  too_large: { class: TooLargeError, status: 413, retryAfter: false, response: 'TooLarge', description: 'the body or document is over the size limit.' },
  rate_limited: { class: RateLimitedError, status: 429, retryAfter: true, response: 'RateLimited', description: 'too many requests for this key; see `Retry-After`.' },
  internal: { class: InternalError, status: 500, retryAfter: false, response: 'Internal', description: 'an unexpected failure; the details are in the server log.' },
  not_implemented: { class: NotImplementedError, status: 501, retryAfter: false, response: 'NotImplemented', description: 'this version of the store does not provide the operation yet.' },
  unavailable: {
    class: UnavailableError,
    status: 503,
    retryAfter: true,
    response: 'Unavailable',
    description: 'the database is unreachable, the disk is full or a ref is locked (`details.reason` `ref_locked`); nothing was written, retry after `Retry-After` seconds.',
  },
} as const satisfies Record<string, ErrorCodeRow>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_NAMES = Object.freeze(Object.keys(ERROR_CODES) as ErrorCode[]);

export function errorCodeRow(code: string): ErrorCodeRow | undefined {
  return Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as ErrorCode] : undefined;
}

/** HTTP status of a code; anything not in the table is a 500. */
export function statusOfCode(code: string): number {
  return errorCodeRow(code)?.status ?? 500;
}

/** The code an HTTP status stands for, for answers that carry no error body (a proxy's 502). */
export function codeOfStatus(status: number): ErrorCode {
  for (const name of ERROR_CODE_NAMES) if (ERROR_CODES[name].status === status) return name;
  return status === 502 || status === 504 ? 'unavailable' : 'internal';
}
