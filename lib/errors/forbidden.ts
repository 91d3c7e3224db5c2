import { VersoError } from './base.js';

/** A valid credential whose role or site scope does not allow the call. */
export class ForbiddenError extends VersoError {
  static readonly code = 'forbidden';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super('forbidden', message, data, cause);
  }
}
