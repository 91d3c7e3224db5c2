import { ValidationError } from './validation.js';

/**
 * The Git remote of an integration declined a push (its pre-receive or update hook, a protected
 * branch: git's `ng <ref> <reason>`), as opposed to a branch that moved, which is retried. The
 * remote's own words are in `details.remoteMessage`; nothing was written there and nothing was
 * mapped, and pushing the same bytes again would be declined again. A ValidationError (code
 * `invalid_input`, HTTP 400) whose `details.reason` is `push_declined`.
 */
export class PushDeclinedError extends ValidationError {
  static readonly reason = 'push_declined';
  constructor(message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super(message, { ...data, reason: 'push_declined' }, cause);
  }
}
