import { VersoError } from './base.js';

/** The document moved past the caller's baseVersion, or a name is taken. */
export class ConflictError extends VersoError {
  static readonly code = 'conflict';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super('conflict', message, data, cause);
  }
}
