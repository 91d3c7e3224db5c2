/**
 * API keys: 32 random bytes shown once, stored as a SHA-256 hash (a fast hash is right here:
 * the key has 256 bits of entropy, nothing to brute-force), with a role and an optional site.
 */
import { createHash, randomBytes } from 'node:crypto';
import { insertEvent } from '../db/queries/events.js';
import { findActiveKeyById, findActiveKeyByHash, insertKey, insertKeyIfAbsent, listKeyRows, revokeKeyRow } from '../db/queries/keys.js';
import { actorColumns } from './actor.js';
import { iso } from '../db/rows.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import type { ApiKeyInfo, Role } from '../types.js';
import { forgetPrincipals } from './authenticate.js';
import { stamp, type OpContext } from './context.js';
import { parseEnum, parseStoredText } from './inputs.js';
import { LIMITS } from '../schemas/inputs.js';
import { loadSite } from './loadSite.js';

const ROLES = ['admin', 'editor', 'viewer', 'integration'] as const;
const PREFIX = 'vk_';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function createKey({ ctx, input }: { ctx: OpContext; input: { role: Role; site?: string; name?: string } }): Promise<{ id: string; key: string; role: string; site?: string }> {
  const role = parseEnum(input?.role, ROLES, 'role', 'viewer');
  if (input?.role === undefined) throw new ValidationError('role is required', { field: 'role' });
  const site = input.site === undefined ? undefined : await loadSite(ctx, input.site);
  const name = input.name === undefined ? undefined : parseStoredText(input.name, 'name', LIMITS.name);
  const key = PREFIX + randomBytes(32).toString('base64url');
  const id = ctx.newId();
  const s = stamp(ctx);
  // A key scoped to a site is that site's event; an unscoped key's is global (site_id NULL).
  await ctx.knex.transaction(async (trx) => {
    await insertKey(trx, { id, key_hash: hashKey(key), prefix: key.slice(0, 10), role, site_id: site?.id ?? null, name: name ?? null, ...s });
    await insertEvent(trx, { id: ctx.newId(), site_id: site?.id ?? null, action: 'key.create', data: { key: id, role, ...(name ? { name } : {}) }, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx) });
  });
  return { id, key, role, ...(site ? { site: site.slug } : {}) };
}

/** Registers a key the operator chose (VERSO_ADMIN_KEY), idempotently. */
export async function ensureAdminKey({ ctx, key }: { ctx: OpContext; key: string }): Promise<void> {
  if (key.length < 16) throw new ValidationError('VERSO_ADMIN_KEY must be at least 16 characters', { field: 'VERSO_ADMIN_KEY' });
  if (await findActiveKeyByHash(ctx.knex, hashKey(key))) return;
  // Several gateways start with one VERSO_ADMIN_KEY at once: the losers find the winner's row.
  if (await insertKeyIfAbsent(ctx.knex, { id: ctx.newId(), key_hash: hashKey(key), prefix: 'env_', role: 'admin', site_id: null, name: 'VERSO_ADMIN_KEY', ...stamp(ctx) })) return;
  // The key exists but was revoked: never bring it back, and never refuse to start over it.
  if (!(await findActiveKeyByHash(ctx.knex, hashKey(key)))) ctx.log.warn({}, 'VERSO_ADMIN_KEY names a revoked key; it is not accepted. Set a new one.');
}

export async function listKeys({ ctx }: { ctx: OpContext }): Promise<ApiKeyInfo[]> {
  const rows = await listKeyRows(ctx.knex);
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    ...(r.site_slug ? { site: r.site_slug } : {}),
    ...(r.name ? { name: r.name } : {}),
    createdAt: iso(r.created_at),
    ...(r.last_used_at ? { lastUsedAt: iso(r.last_used_at) } : {}),
  }));
}

export async function revokeKey({ ctx, id }: { ctx: OpContext; id: string }): Promise<void> {
  if (typeof id !== 'string' || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) throw new ValidationError('key id is not valid', { field: 'id' });
  await ctx.knex.transaction(async (trx) => {
    const row = await findActiveKeyById(trx, id);
    if (!row || !(await revokeKeyRow(trx, id))) throw new NotFoundError(`key ${id} does not exist`, { id });
    await insertEvent(trx, { id: ctx.newId(), site_id: row.site_id, action: 'key.revoke', data: { key: id, role: row.role }, hlc: ctx.clock.tick(), node_id: ctx.nodeId, ...actorColumns(ctx) });
  });
  forgetPrincipals(ctx);
}

