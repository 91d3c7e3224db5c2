import { UnavailableError } from './unavailable.js';

/**
 * Another writer (a verso process or the git CLI) held `<ref>.lock` for longer than the lock
 * timeout. Retrying later is safe: nothing was written. An UnavailableError (code
 * `unavailable`, HTTP 503) whose `details.reason` is `ref_locked`.
 */
export class RefLockedError extends UnavailableError {
  static readonly reason = 'ref_locked';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super(message, { ...data, reason: 'ref_locked' }, cause);
  }
}
