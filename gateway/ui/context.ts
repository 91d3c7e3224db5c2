/**
 * What every signed-in page knows about its caller, and the role/site rules the pages apply.
 * The embedded store has no notion of a caller, so the pages apply the gateway's rules
 * (gateway/auth.ts) themselves: a key scoped to a site sees other sites as not found, worded
 * like a site that does not exist; viewers read; admin, editor and integration keys may also
 * publish and roll back (the API's 'site:write-docs').
 */
import type { Response } from 'express';
import { ForbiddenError } from '../../lib/errors/index.js';
import { siteNotFound } from '../auth.js';
import type { Principal, Role } from '../../lib/types.js';
import type { UiSession } from './sessionStore.js';

export interface UiContext {
  principal: Principal;
  session: UiSession;
  /** The CSRF token every POST form of this session carries. */
  csrf: string;
}

/** A document's address in the pages' URLs. */
export interface DocAddress {
  site: string;
  type: string;
  key: string;
  locale: string;
}

export function contextOf(res: Response): UiContext {
  const ctx = (res.locals as { ui?: UiContext }).ui;
  if (!ctx) throw new Error('ui context missing: route mounted outside requireSession');
  return ctx;
}

export function setContext(res: Response, ctx: UiContext): void {
  (res.locals as { ui?: UiContext }).ui = ctx;
}

// Mirrors ROLES_FOR['site:write-docs'] in gateway/auth.ts.
const DOC_WRITERS: ReadonlySet<Role> = new Set<Role>(['admin', 'editor', 'integration']);

export function canSeeSite(principal: Principal, site: string): boolean {
  return principal.site === undefined || principal.site === site;
}

export function canWrite(principal: Principal, site: string): boolean {
  return canSeeSite(principal, site) && DOC_WRITERS.has(principal.role);
}

/** @throws NotFoundError when the key may not see the site (its existence is not revealed). */
export function assertCanSee(principal: Principal, site: string): void {
  if (!canSeeSite(principal, site)) throw siteNotFound(site);
}

/** @throws ForbiddenError when the key may read but not publish or roll back. */
export function assertCanWrite(principal: Principal, site: string): void {
  assertCanSee(principal, site);
  if (!canWrite(principal, site)) {
    throw new ForbiddenError(`a ${principal.role} key can read this site but not publish or roll back`, { role: principal.role });
  }
}

export function describePrincipal(principal: Principal): string {
  return principal.site ? `${principal.role} · site ${principal.site}` : `${principal.role} · all sites`;
}
