/**
 * Octokit's RequestError translated where it enters: the status is kept in `data.remoteStatus`,
 * GitHub's own message is kept (it says which permission is missing), the token never appears
 * (Octokit already redacts the authorization header; the message is redacted too).
 */
import { RequestError } from '@octokit/request-error';
import { AuthError, ConflictError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError, VersoError } from '../../errors/index.js';
import { redact, type IntegrationSecrets } from '../types.js';

export function translateGithubError(err: unknown, what: string, secrets: IntegrationSecrets): unknown {
  if (err instanceof VersoError) return err;
  // Octokit wraps whatever fetch threw (the SSRF guard's refusal, at connect time too) as a 500.
  if (err instanceof RequestError && err.cause instanceof VersoError) return err.cause;
  if (!(err instanceof RequestError)) {
    const message = redact(err instanceof Error ? err.message : String(err), secrets);
    return new VersoError('unavailable', `GitHub could not be reached (${what}): ${message}`, { remote: 'github' });
  }
  const remoteMessage = redact(String((err.response?.data as { message?: unknown } | undefined)?.message ?? err.message), secrets).slice(0, 500);
  const data = { remote: 'github', remoteStatus: err.status, remoteMessage };
  const headers = err.response?.headers ?? {};
  if (err.status === 401) return new AuthError(`GitHub refused the integration's token (${what})`, data, err);
  if (err.status === 429 || (err.status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(remoteMessage)))) {
    return new RateLimitedError(`GitHub's rate limit is exhausted (${what}); try again later`, data, err);
  }
  if (err.status === 403) return new ForbiddenError(`GitHub refused ${what}: the token lacks a permission (contents and pull requests: read and write)`, data, err);
  if (err.status === 404) return new NotFoundError(`GitHub has no ${what} (or the token cannot see it)`, data, err);
  if (err.status === 409) return new ConflictError(`GitHub refused ${what}: ${remoteMessage}`, data, err);
  if (err.status === 422) return new ValidationError(`GitHub refused ${what}: ${remoteMessage}`, data, err);
  return new VersoError('unavailable', `GitHub failed ${what} (HTTP ${err.status})`, data, err);
}

export function isStatus(err: unknown, status: number): boolean {
  return err instanceof RequestError && err.status === status;
}
