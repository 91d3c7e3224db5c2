import { VersoError } from './base.js';

/** A preview token past its expiry or use limit. */
export class PreviewExpiredError extends VersoError {
  static readonly code = 'preview_expired';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super('preview_expired', message, data, cause);
  }
}
