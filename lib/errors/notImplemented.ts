import { VersoError } from './base.js';

/** An operation the store declares but does not provide yet. */
export class NotImplementedError extends VersoError {
  static readonly code = 'not_implemented';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super('not_implemented', message, data, cause);
  }
}
