import { VersoError } from './base.js';

/** No credential, or one that is not valid. */
export class AuthError extends VersoError {
  static readonly code = 'unauthorized';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super('unauthorized', message, data, cause);
  }
}
