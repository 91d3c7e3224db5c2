/**
 * Who made a change, for the audit trail. Through the gateway it is the API key (its id and
 * name); for SDK and git writes it is the author the write names. A store view made with
 * `withActor` carries the key, and so does everything a `store.runAs(actor, fn)` call runs
 * (the gateway's way: it keeps any wrapper around the store in place); every event an
 * operation writes then names that key.
 */
import type { Author } from '../types.js';
import type { OpContext } from './context.js';

export interface Actor {
  keyId?: string;
  name?: string;
}

/** The event columns naming the actor: the context's key, else the author given. */
export function actorColumns(ctx: OpContext, author?: Author | { name: string }): { user_id: string | null; actor_name: string | null } {
  const actor = ctx.actor ?? ctx.actorScope?.getStore();
  const name = actor?.name ?? (actor?.keyId ? undefined : author?.name);
  return { user_id: actor?.keyId ?? null, actor_name: name ? name.slice(0, 200) : null };
}

/**
 * The caller as a Git author, for commits that record an act rather than content (a publish):
 * the API key's name (or id) through the gateway; undefined for plain SDK calls.
 */
export function actorAuthor(ctx: OpContext): Author | undefined {
  const actor = ctx.actor ?? ctx.actorScope?.getStore();
  const name = actor?.name ?? (actor?.keyId ? `API key ${actor.keyId}` : undefined);
  // Git identities cannot hold <, > or line breaks; key names are free text.
  const clean = name?.replace(/[<>\r\n]/g, ' ').trim().slice(0, 200);
  return clean ? { name: clean } : undefined;
}

/** The actor of a stored event (undefined when it names none). */
export function actorOf(row: { user_id: string | null; actor_name: string | null }): Actor | undefined {
  if (!row.user_id && !row.actor_name) return undefined;
  return { ...(row.user_id ? { keyId: row.user_id } : {}), ...(row.actor_name ? { name: row.actor_name } : {}) };
}
