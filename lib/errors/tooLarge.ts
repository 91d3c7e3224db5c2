import { VersoError } from './base.js';

/** A body over the configured size limit. */
export class TooLargeError extends VersoError {
  static readonly code = 'too_large';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super('too_large', message, data, cause);
  }
}
