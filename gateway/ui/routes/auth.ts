/** Sign in with an API key, sign out, and the middleware that checks the session on each page. */
import type { NextFunction, Request, Response, Router } from 'express';
import { AuthError, ForbiddenError } from '../../../lib/errors/index.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { setContext } from '../context.js';
import { paths, safeNext } from '../paths.js';
import { one } from '../params.js';
import { renderSignIn } from '../pages/signIn.js';
import {
  LOGIN_CSRF_COOKIE, clearLoginToken, clearSessionCookie, issueLoginToken,
  readCookies, sameToken, sessionIdOf, setSessionCookie, type csrfSigner,
} from '../session.js';
import type { SessionStore } from '../sessionStore.js';
import { SignInLimits } from '../signInLimits.js';
import { parseSignInName } from '../signInName.js';

type Csrf = ReturnType<typeof csrfSigner>;

export function mountAuthRoutes(router: Router, args: { store: EmbeddedStore; csrf: Csrf; sessions: SessionStore }): void {
  const { store, csrf, sessions } = args;
  const limits = new SignInLimits();

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
    const author = parseSignInName(name);
    if ('error' in author) return again(400, author.error);
    const key = one(req.body, 'key') ?? '';
    if (key && limits.keyPaused(ip, key)) return again(429, 'Too many failed sign-ins with this key. Wait a few minutes and try again.');
    const principal = key ? await store.authenticate(key) : undefined;
    if (!key || !principal) {
      const tooMany = limits.addressOverLimit(ip);
      limits.fail(ip, key);
      return tooMany ? again(429, 'Too many failed sign-ins. Wait a few minutes and try again.') : again(401, 'That API key is not valid, or it has been revoked.');
    }
    limits.succeed(ip, key);
    clearLoginToken(req, res);
    setSessionCookie(req, res, sessions.create({ key, ...author }).id);
    res.redirect(303, safeNext(next));
  });

  router.post('/sign-out', (req, res) => {
    const session = sessions.get(sessionIdOf(req));
    // Without a valid token only a cross-site page could be asking; leave the session alone.
    if (session && !csrf.verify(session.id, one(req.body, 'csrf'))) {
      res.redirect(303, paths.sites());
      return;
    }
    if (session) sessions.delete(session.id);
    clearSessionCookie(req, res);
    res.redirect(303, `${paths.signIn()}?bye=1`);
  });
}

/** Resolves the session's key on every request; a revoked key is sent back to sign in. */
export function requireSession(args: { store: EmbeddedStore; csrf: Csrf; sessions: SessionStore }) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const presented = sessionIdOf(req);
    const session = args.sessions.get(presented);
    const principal = session ? await args.store.authenticate(session.key) : undefined;
    if (!session || !principal) {
      if (session) args.sessions.delete(session.id);
      if (presented) clearSessionCookie(req, res);
      if (req.method === 'GET' || req.method === 'HEAD') {
        const target = paths.signIn(req.originalUrl);
        res.redirect(303, presented ? `${target}${target.includes('?') ? '&' : '?'}expired=1` : target);
        return;
      }
      throw new AuthError('sign in to continue');
    }
    setContext(res, { principal, session, csrf: args.csrf.tokenFor(session.id) });
    next();
  };
}

/** POST forms of a signed-in session must carry its CSRF token. */
export function requireCsrf(args: { csrf: Csrf; sessions: SessionStore }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const session = args.sessions.get(sessionIdOf(req));
    if (!session || !args.csrf.verify(session.id, one(req.body, 'csrf'))) {
      next(new ForbiddenError('This form has expired. Go back, reload the page and try again.'));
      return;
    }
    next();
  };
}
