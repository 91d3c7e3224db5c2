/**
 * The editors' session cookie: HttpOnly, SameSite=Strict, holding a server-side session id
 * (sessionStore.ts), never the API key. POST forms carry a CSRF token: an HMAC of the session
 * id under a per-process secret once signed in, and a double-submit cookie on the sign-in form
 * before that.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { SESSION_MS } from './sessionStore.js';

export const SESSION_COOKIE = 'verso_ui';
export const LOGIN_CSRF_COOKIE = 'verso_ui_login';
const COOKIE_PATH = '/ui';
const SESSION_SECONDS = SESSION_MS / 1000;

/** Parses the Cookie header without a dependency; later duplicates do not override earlier ones. */
export function readCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // A malformed percent-escape is someone else's cookie; ignore it.
    }
  }
  return cookies;
}

function cookieHeader(req: Request, name: string, value: string, maxAge: number): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${COOKIE_PATH}`, `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Strict'];
  if (req.secure) parts.push('Secure');
  return parts.join('; ');
}

function appendCookie(res: Response, header: string): void {
  res.append('Set-Cookie', header);
}

/** The cookie holds the session id only (sessionStore.ts keeps the rest on the server). */
export function setSessionCookie(req: Request, res: Response, sessionId: string): void {
  appendCookie(res, cookieHeader(req, SESSION_COOKIE, sessionId, SESSION_SECONDS));
}

export function sessionIdOf(req: Request): string | undefined {
  return readCookies(req.headers.cookie).get(SESSION_COOKIE) || undefined;
}

export function clearSessionCookie(req: Request, res: Response): void {
  appendCookie(res, cookieHeader(req, SESSION_COOKIE, '', 0));
}

/** Issues the sign-in form's double-submit token (a fresh one each time the form is shown). */
export function issueLoginToken(req: Request, res: Response): string {
  const token = randomBytes(24).toString('base64url');
  appendCookie(res, cookieHeader(req, LOGIN_CSRF_COOKIE, token, 30 * 60));
  return token;
}

export function clearLoginToken(req: Request, res: Response): void {
  appendCookie(res, cookieHeader(req, LOGIN_CSRF_COOKIE, '', 0));
}

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Derives CSRF tokens bound to the session id; the secret lives as long as the router. */
export function csrfSigner(secret: Buffer = randomBytes(32)): { tokenFor(sessionId: string): string; verify(sessionId: string, token: unknown): boolean } {
  const tokenFor = (sessionId: string): string => createHmac('sha256', secret).update(`verso-ui-csrf:${sessionId}`).digest('base64url');
  return {
    tokenFor,
    verify: (sessionId, token) => typeof token === 'string' && sameToken(tokenFor(sessionId), token),
  };
}
