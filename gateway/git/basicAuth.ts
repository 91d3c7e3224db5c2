/**
 * Who a git client is: HTTP Basic with any user name and an API key as the password (git's
 * credential helpers store exactly that), or a Bearer key. Viewers and up may fetch; editors
 * and admins may push. A key scoped to another site gets 404, worded like a missing site.
 */
import type { Request } from 'express';
import type { EmbeddedStore, Principal, Role } from '../../lib/types.js';

export type GitAccess = 'fetch' | 'push';

const MAY: Record<GitAccess, ReadonlySet<Role>> = {
  fetch: new Set<Role>(['admin', 'editor', 'viewer', 'integration']),
  push: new Set<Role>(['admin', 'editor']),
};

export type GitAuthResult =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 | 403 | 404; message: string };

/** The API key a request presents, or undefined. */
export function presentedKey(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const basic = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const password = colon < 0 ? decoded : decoded.slice(colon + 1);
    // `git clone http://KEY@host/…` sends the key as the user name and an empty password.
    return password || (colon < 0 ? undefined : decoded.slice(0, colon)) || undefined;
  }
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return bearer ? bearer[1] : undefined;
}

export async function authorizeGit(store: EmbeddedStore, req: Request, site: string, access: GitAccess): Promise<GitAuthResult> {
  const key = presentedKey(req);
  if (!key) return { ok: false, status: 401, message: 'an API key is required: use any user name and the API key as the password' };
  const principal = await store.authenticate(key);
  if (!principal) return { ok: false, status: 401, message: 'the API key is not valid or was revoked' };
  if (principal.site !== undefined && principal.site !== site) return { ok: false, status: 404, message: `repository ${site}.git does not exist` };
  if (!MAY[access].has(principal.role)) {
    return { ok: false, status: 403, message: access === 'push' ? `a ${principal.role} key may fetch but not push; pushing needs an editor or admin key` : `a ${principal.role} key may not fetch` };
  }
  return { ok: true, principal };
}
