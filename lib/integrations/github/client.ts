/**
 * The Octokit verso talks to GitHub with: @octokit/rest plus plugin-retry (5xx and network
 * errors, with backoff) and plugin-throttling (waits out primary and secondary rate limits as
 * GitHub's `x-ratelimit-*` and `retry-after` headers say, then retries). Built per integration
 * and passed into the remote (no global client); `fetch` is the SSRF-guarded one.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

const VersoOctokit = Octokit.plugin(retry, throttling);
// The plugins add nothing verso calls, so the client is typed as the plain REST Octokit.
export type GithubClient = Octokit;

export interface CreateOctokitArgs {
  token?: string;
  /** API base; GitHub Enterprise Server is `https://<host>/api/v3`. */
  baseUrl: string;
  fetch: typeof fetch;
  log: { warn(data: object, msg: string): void };
  /** Milliseconds per second of `retry-after` (1000; tests make it small). */
  retryAfterBaseValue?: number;
  /** Rate-limit waits before giving up on one request. */
  maxRateLimitRetries?: number;
}

export function createOctokit(a: CreateOctokitArgs): GithubClient {
  const maxRetries = a.maxRateLimitRetries ?? 2;
  const onLimit = (kind: string) => (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number) => {
    a.log.warn({ kind, retryAfter, method: options.method, url: options.url, retryCount }, 'GitHub rate limit reached; waiting before retrying');
    return retryCount < maxRetries;
  };
  const quiet = () => undefined;
  return new VersoOctokit({
    ...(a.token ? { auth: a.token } : {}),
    baseUrl: a.baseUrl.replace(/\/+$/, ''),
    userAgent: 'verso',
    request: { fetch: a.fetch },
    // Octokit's own logger would print request URLs and deprecations to the console.
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      ...(a.retryAfterBaseValue === undefined ? {} : { retryAfterBaseValue: a.retryAfterBaseValue }),
    },
    // 429 is left to the throttling plugin, which waits as `retry-after` says; plugin-retry would
    // retry it first on its own schedule (it runs inside throttling's wrapper).
    retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], ...(a.retryAfterBaseValue === undefined ? {} : { retryAfterBaseValue: a.retryAfterBaseValue }) },
  });
}
