import { VersoError } from './base.js';

/** An unexpected failure; details are logged, never returned. */
export class InternalError extends VersoError {
  static readonly code = 'internal';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super('internal', message, data, cause);
  }
}
