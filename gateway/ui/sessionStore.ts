/**
 * Server-side sessions of the editors' pages. The cookie carries only a random id (32 bytes);
 * the API key it stands for never leaves the server, so a stolen cookie file or a logged
 * header gives no API access, and signing out ends the session here, not only in the browser.
 * The key is checked again on every request (requireSession), so revoking it ends its sessions.
 *
 * Decision for several gateways: sessions live in each gateway process's memory, not in the
 * index. Several gateways behind one address need sticky sessions (or an editor signs in at
 * each); a restart signs editors out, which also drops any session a leaked id could use. A
 * table would survive restarts but put a write on the index for every sign-in and keep a
 * reusable copy of the key material in the database.
 *
 * Bound: MAX_SESSIONS live sessions (the oldest is dropped first); each lasts SESSION_MS.
 */
import { randomBytes } from 'node:crypto';

export const SESSION_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 10_000;

export interface UiSession {
  id: string;
  /** The API key as presented at sign-in (kept here only). */
  key: string;
  /** The name (and email) the editor signs rollbacks with; name may be empty. */
  name: string;
  email?: string;
  expiresAt: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, UiSession>();

  constructor(private readonly now: () => number = Date.now) {}

  create(input: { key: string; name: string; email?: string }): UiSession {
    const session: UiSession = { id: randomBytes(32).toString('base64url'), ...input, expiresAt: this.now() + SESSION_MS };
    this.sessions.set(session.id, session);
    for (const id of this.sessions.keys()) {
      if (this.sessions.size <= MAX_SESSIONS) break;
      this.sessions.delete(id);
    }
    return session;
  }

  get(id: string | undefined): UiSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (session && session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }
}
