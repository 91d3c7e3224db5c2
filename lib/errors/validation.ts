import { VersoError } from './base.js';

/** Input was refused before anything was written. */
export class ValidationError extends VersoError {
  static readonly code = 'invalid_input';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super('invalid_input', message, data, cause);
  }
}
