/**
 * The base of every error verso throws to a caller. `code` is stable and part of the contract;
 * `data` is structured detail safe to show; `cause` keeps the lower-layer error for logs only.
 */
export class VersoError extends Error {
  readonly code: string;
  readonly data: Record<string, unknown>;

  constructor(code: string, message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.data = data;
  }

  toJSON(): { code: string; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.data };
  }
}
