import { VersoError } from './base.js';

/** Too many requests for the caller's key in the current window. */
export class RateLimitedError extends VersoError {
  static readonly code = 'rate_limited';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super('rate_limited', message, data, cause);
  }
}
