/**
 * Per-key rate limiting: requests with a valid API key count against the key's id, all others
 * (public routes, bad keys, the editors' pages) against the client address, so guessing keys
 * from one address exhausts that address's budget.
 */
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RateLimitedError } from '../lib/errors/index.js';
import { principalOf } from './auth.js';

export interface RateLimitOptions {
  windowMs: number;
  max: number;
}

/** 100 requests a second per key, averaged over a minute. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { windowMs: 60_000, max: 6000 };

const UNLIMITED_PATHS = new Set(['/healthz', '/readyz']);

export function rateLimiter(opts: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: opts.windowMs,
    limit: opts.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (req) => UNLIMITED_PATHS.has(req.path),
    keyGenerator: (req, res) => {
      const principal = principalOf(res);
      return principal ? `key:${principal.keyId}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req, res, next) => {
      const resetTime = (res.req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfterSeconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : Math.ceil(opts.windowMs / 1000);
      res.setHeader('Retry-After', String(retryAfterSeconds));
      next(new RateLimitedError('too many requests; slow down and retry later', { retryAfterSeconds, limit: opts.max, windowMs: opts.windowMs }));
    },
  });
}
