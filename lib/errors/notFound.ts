import { VersoError } from './base.js';

/** A site, document, version, branch or key does not exist (or is not visible to the caller). */
export class NotFoundError extends VersoError {
  static readonly code = 'not_found';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super('not_found', message, data, cause);
  }
}
