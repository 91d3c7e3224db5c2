/**
 * API-key authentication and the role × site-scope rules of the gateway.
 *
 * - `admin`: everything. An admin key scoped to a site is admin of that site only; managing
 *   keys and creating sites needs an admin key with no site.
 * - `editor`: read and write on its site (every site when unscoped), branches included.
 * - `integration`: read, and write documents (save, publish, unpublish, rollback, archive,
 *   comments, previews, tags); it may not create, delete or merge branches.
 * - `viewer`: read only.
 * - A key scoped to site A asking about site B gets 404 not_found, worded exactly like a site
 *   that does not exist, so a scoped key cannot learn which other sites exist.
 */
import type { RequestHandler, Response } from 'express';
import { AuthError, ForbiddenError, NotFoundError } from '../lib/errors/index.js';
import type { EmbeddedStore, Principal, Role } from '../lib/types.js';

/** What a route needs from its caller. */
export type Access =
  | 'public' // no key
  | 'authenticated' // any valid key
  | 'admin' // an admin key with no site scope
  | 'site:read'
  | 'site:write-docs'
  | 'site:write'
  | 'site:admin'; // an admin key, unscoped or scoped to this site (site settings, webhooks)

const ROLES_FOR: Record<'site:read' | 'site:write-docs' | 'site:write' | 'site:admin', ReadonlySet<Role>> = {
  'site:read': new Set<Role>(['admin', 'editor', 'viewer', 'integration']),
  'site:write-docs': new Set<Role>(['admin', 'editor', 'integration']),
  'site:write': new Set<Role>(['admin', 'editor']),
  'site:admin': new Set<Role>(['admin']),
};

interface AuthState {
  principal?: Principal;
  /** Why a presented credential was refused (absent: none was presented). */
  problem?: string;
}

const AUTH_STATE = 'versoAuth';

export function principalOf(res: Response): Principal | undefined {
  return (res.locals[AUTH_STATE] as AuthState | undefined)?.principal;
}

/** The message a missing site gets, here and for sites hidden from a scoped key. */
export function siteNotFound(site: string): NotFoundError {
  return new NotFoundError(`site ${site} does not exist`, { site });
}

/**
 * Resolves `Authorization: Bearer <key>` to a principal. Never refuses by itself: the route
 * decides whether it needs a key, so public routes work with a stale header too.
 */
export function identify(store: EmbeddedStore): RequestHandler {
  return async (req, res, next) => {
    const state: AuthState = {};
    res.locals[AUTH_STATE] = state;
    const header = req.headers.authorization;
    if (header === undefined) return next();
    const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
    if (!match) {
      state.problem = 'the Authorization header must be "Bearer <api key>"';
      return next();
    }
    const principal = await store.authenticate(match[1]!);
    if (principal) state.principal = principal;
    else state.problem = 'the API key is not valid or was revoked';
    next();
  };
}

/**
 * Throws unless the caller may use a route with `access` on `site`.
 * Order matters: 401 before anything, then scope (404) before role (403), so a scoped key
 * learns nothing about other sites, not even whether it could write there.
 */
export function authorize(res: Response, access: Access, site: string | undefined): Principal | undefined {
  if (access === 'public') return principalOf(res);
  const state = (res.locals[AUTH_STATE] as AuthState | undefined) ?? {};
  const principal = state.principal;
  if (!principal) {
    throw new AuthError(state.problem ?? 'an API key is required: send "Authorization: Bearer <api key>"', {});
  }
  if (access === 'authenticated') return principal;
  if (access === 'admin') {
    if (principal.role !== 'admin' || principal.site !== undefined) {
      throw new ForbiddenError('this route needs an admin key that is not scoped to a site', { role: principal.role });
    }
    return principal;
  }
  if (site === undefined) throw new Error(`route with access ${access} has no :site parameter`);
  if (principal.site !== undefined && principal.site !== site) throw siteNotFound(site);
  if (!ROLES_FOR[access].has(principal.role)) {
    throw new ForbiddenError(`a ${principal.role} key may not do this`, { role: principal.role });
  }
  return principal;
}
