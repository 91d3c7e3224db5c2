/**
 * The editors' session: an HttpOnly, SameSite=Strict cookie holding the API key (checked again on
 * every request, so a revoked key ends the session at once) and the name the editor signs
 * changes with. POST forms carry a CSRF token: an HMAC of the key under a per-process secret
 * once signed in, and a double-submit cookie on the sign-in form before that.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'verso_ui';
export const LOGIN_CSRF_COOKIE = 'verso_ui_login';
const COOKIE_PATH = '/ui';
const SESSION_SECONDS = 12 * 60 * 60;

export interface SessionCookie {
  /** The API key as presented at sign-in. */
  key: string;
  /** The name shown as author of rollbacks made in the pages. */
  name: string;
}

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

export function encodeSession(session: SessionCookie): string {
  return Buffer.from(JSON.stringify({ k: session.key, n: session.name }), 'utf8').toString('base64url');
}

export function decodeSession(value: string | undefined): SessionCookie | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return undefined;
    const { k, n } = parsed as { k?: unknown; n?: unknown };
    if (typeof k !== 'string' || k.length === 0) return undefined;
    return { key: k, name: typeof n === 'string' ? n : '' };
  } catch {
    return undefined;
  }
}

function cookieHeader(req: Request, name: string, value: string, maxAge: number): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${COOKIE_PATH}`, `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Strict'];
  if (req.secure) parts.push('Secure');
  return parts.join('; ');
}

function appendCookie(res: Response, header: string): void {
  res.append('Set-Cookie', header);
}

export function setSessionCookie(req: Request, res: Response, session: SessionCookie): void {
  appendCookie(res, cookieHeader(req, SESSION_COOKIE, encodeSession(session), SESSION_SECONDS));
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

/** Derives CSRF tokens bound to the session's key; the secret lives as long as the router. */
export function csrfSigner(secret: Buffer = randomBytes(32)): { tokenFor(key: string): string; verify(key: string, token: unknown): boolean } {
  const tokenFor = (key: string): string => createHmac('sha256', secret).update(`verso-ui-csrf:${key}`).digest('base64url');
  return {
    tokenFor,
    verify: (key, token) => typeof token === 'string' && sameToken(tokenFor(key), token),
  };
}
