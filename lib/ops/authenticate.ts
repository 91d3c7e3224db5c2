/**
 * authenticate: resolves a presented API key to a principal. Every gateway request starts here,
 * so the answer is remembered for a few seconds and `last_used_at` is written at most once a
 * minute per key from this process: before, each request paid a key lookup and an UPDATE that
 * changed nothing (3 statements for a 1-statement history page; http bench, docs/benchmarks.md).
 *
 * A key revoked through this store stops working at once (revokeKey clears the memory); one
 * revoked by another process sharing the database stops within PRINCIPAL_TTL_MS.
 */
import { findActiveKeyByHash, touchKey } from '../db/queries/keys.js';
import type { Principal, Role } from '../types.js';
import type { OpContext } from './context.js';
import { hashKey } from './keys.js';

export const PRINCIPAL_TTL_MS = 5_000;
const TOUCH_EVERY_MS = 60_000;
// Only keys that resolved are remembered, so guessing cannot grow this; the bound is for fleets.
const MAX_REMEMBERED = 10_000;

interface Remembered {
  principal: Principal;
  checkedAt: number;
  touchedAt: number;
}

// Keyed by the connection: a store view (withActor) must forget a revoked key with its store.
const memory = new WeakMap<object, Map<string, Remembered>>();

export async function authenticate({ ctx, key }: { ctx: OpContext; key: string }): Promise<Principal | undefined> {
  if (typeof key !== 'string' || key.length < 16 || key.length > 200) return undefined;
  const hash = hashKey(key);
  const known = memory.get(ctx.knex) ?? new Map<string, Remembered>();
  memory.set(ctx.knex, known);
  const now = Date.now();
  let entry = known.get(hash);
  if (!entry || now - entry.checkedAt >= PRINCIPAL_TTL_MS) {
    const row = await findActiveKeyByHash(ctx.knex, hash);
    if (!row) {
      known.delete(hash);
      return undefined;
    }
    const principal: Principal = { keyId: row.id, role: row.role as Role, ...(row.site_slug ? { site: row.site_slug } : {}), ...(row.name ? { name: row.name } : {}) };
    entry = { principal, checkedAt: now, touchedAt: entry?.touchedAt ?? 0 };
    if (known.size >= MAX_REMEMBERED) known.delete(known.keys().next().value as string);
    known.set(hash, entry);
  }
  if (now - entry.touchedAt >= TOUCH_EVERY_MS) {
    entry.touchedAt = now;
    // last_used_at is advisory; a failed touch must not fail the request.
    await touchKey(ctx.knex, entry.principal.keyId).catch(() => undefined);
  }
  return { ...entry.principal };
}

/** Forgets every remembered principal of this store (a key was revoked). */
export function forgetPrincipals(ctx: OpContext): void {
  memory.delete(ctx.knex);
}
