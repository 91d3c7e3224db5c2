import { VersoError } from './base.js';

/**
 * Another writer (a verso process or the git CLI) held `<ref>.lock` for longer than the lock
 * timeout. Retrying later is safe: nothing was written.
 */
export class RefLockedError extends VersoError {
  static readonly code = 'ref_locked';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super('ref_locked', message, data, cause);
  }
}
