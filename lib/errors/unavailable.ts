import { VersoError } from './base.js';

/**
 * An infrastructure failure the caller may retry: the database is unreachable, the disk is
 * full, or a ref stayed locked by another writer. `retryAfterSeconds` says when to try again
 * (the gateway sends it as `Retry-After`).
 */
export class UnavailableError extends VersoError {
  static readonly code = 'unavailable';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super('unavailable', message, { retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS, ...data }, cause);
  }
}

/** What a caller should wait before retrying when the failure gives no better estimate. */
export const DEFAULT_RETRY_AFTER_SECONDS = 2;
