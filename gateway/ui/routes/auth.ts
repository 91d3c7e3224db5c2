/** Sign in with an API key, sign out, and the middleware that checks the session on each page. */
import type { NextFunction, Request, Response, Router } from 'express';
import { AuthError, ForbiddenError } from '../../../lib/errors/index.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { setContext } from '../context.js';
import { paths, safeNext } from '../paths.js';
import { one } from '../params.js';
import { renderSignIn } from '../pages/signIn.js';
import {
  LOGIN_CSRF_COOKIE, SESSION_COOKIE, clearLoginToken, clearSessionCookie, decodeSession, issueLoginToken,
  readCookies, sameToken, setSessionCookie, type csrfSigner,
} from '../session.js';

type Csrf = ReturnType<typeof csrfSigner>;

// Sign-in attempts with a wrong key, per client address, before a pause (guessing keys is futile
// anyway at 256 bits, but a loop hammering authenticate() also loads the database).
const MAX_FAILURES = 20;
const FAILURE_WINDOW_MS = 5 * 60 * 1000;

function failureCounter(): { blocked(ip: string): boolean; fail(ip: string): void; reset(ip: string): void } {
  const failures = new Map<string, { count: number; since: number }>();
  const current = (ip: string): { count: number; since: number } | undefined => {
    const entry = failures.get(ip);
    if (entry && Date.now() - entry.since > FAILURE_WINDOW_MS) {
      failures.delete(ip);
      return undefined;
    }
    return entry;
  };
  return {
    blocked: (ip) => (current(ip)?.count ?? 0) >= MAX_FAILURES,
    fail: (ip) => {
      const entry = current(ip) ?? { count: 0, since: Date.now() };
      entry.count++;
      failures.set(ip, entry);
    },
    reset: (ip) => void failures.delete(ip),
  };
}

export function mountAuthRoutes(router: Router, args: { store: EmbeddedStore; csrf: Csrf }): void {
  const { store, csrf } = args;
  const counter = failureCounter();

  router.get('/sign-in', (req, res) => {
    const signedOut = one(req.query, 'bye') !== undefined;
    const expired = one(req.query, 'expired') !== undefined;
    const notice = signedOut ? { kind: 'success' as const, text: 'You are signed out.' } : expired ? { kind: 'info' as const, text: 'Your session ended. Please sign in again.' } : undefined;
    res.type('html').send(renderSignIn({ loginToken: issueLoginToken(req, res), next: one(req.query, 'next'), notice }));
  });

  router.post('/sign-in', async (req, res) => {
    const ip = req.ip ?? 'unknown';
    const next = one(req.body, 'next');
    const name = (one(req.body, 'name') ?? '').slice(0, 100);
    const again = (status: number, text: string): void => {
      res.status(status).type('html').send(renderSignIn({ loginToken: issueLoginToken(req, res), next, name, notice: { kind: 'error', text } }));
    };
    if (!sameToken(readCookies(req.headers.cookie).get(LOGIN_CSRF_COOKIE), one(req.body, 'csrf'))) {
      return again(403, 'The sign-in form expired. Please try again.');
    }
    if (counter.blocked(ip)) return again(429, 'Too many failed sign-ins. Wait a few minutes and try again.');
    const key = one(req.body, 'key');
    const principal = key ? await store.authenticate(key) : undefined;
    if (!key || !principal) {
      counter.fail(ip);
      return again(401, 'That API key is not valid, or it has been revoked.');
    }
    counter.reset(ip);
    clearLoginToken(req, res);
    setSessionCookie(req, res, { key, name });
    res.redirect(303, safeNext(next));
  });

  router.post('/sign-out', (req, res) => {
    const session = decodeSession(readCookies(req.headers.cookie).get(SESSION_COOKIE));
    // Without a valid token only a cross-site page could be asking; leave the session alone.
    if (session && !csrf.verify(session.key, one(req.body, 'csrf'))) {
      res.redirect(303, paths.sites());
      return;
    }
    clearSessionCookie(req, res);
    res.redirect(303, `${paths.signIn()}?bye=1`);
  });
}

/** Resolves the session's key on every request; a revoked key is sent back to sign in. */
export function requireSession(args: { store: EmbeddedStore; csrf: Csrf }) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const session = decodeSession(readCookies(req.headers.cookie).get(SESSION_COOKIE));
    const principal = session ? await args.store.authenticate(session.key) : undefined;
    if (!session || !principal) {
      if (session) clearSessionCookie(req, res);
      if (req.method === 'GET' || req.method === 'HEAD') {
        const target = paths.signIn(req.originalUrl);
        res.redirect(303, session ? `${target}${target.includes('?') ? '&' : '?'}expired=1` : target);
        return;
      }
      throw new AuthError('sign in to continue');
    }
    setContext(res, { principal, session, csrf: args.csrf.tokenFor(session.key) });
    next();
  };
}

/** POST forms of a signed-in session must carry its CSRF token. */
export function requireCsrf(args: { csrf: Csrf }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const session = decodeSession(readCookies(req.headers.cookie).get(SESSION_COOKIE));
    if (!session || !args.csrf.verify(session.key, one(req.body, 'csrf'))) {
      next(new ForbiddenError('This form has expired. Go back, reload the page and try again.'));
      return;
    }
    next();
  };
}
