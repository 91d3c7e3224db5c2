import type { Db } from '../connection.js';
import type { Stamp } from './sites.js';

export interface KeyRow {
  id: string;
  key_hash: string;
  prefix: string;
  role: string;
  site_id: string | null;
  site_slug?: string | null;
  name: string | null;
  created_at: Date | string;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

type KeyInsert = { id: string; key_hash: string; prefix: string; role: string; site_id: string | null; name: string | null } & Stamp;

export async function insertKey(db: Db, row: KeyInsert): Promise<void> {
  await db('api_keys').insert(row);
}

/** Inserts unless a key with this hash exists (revoked or not); true when it inserted. */
export async function insertKeyIfAbsent(db: Db, row: KeyInsert): Promise<boolean> {
  const inserted = await db('api_keys').insert(row).onConflict('key_hash').ignore().returning('id');
  return inserted.length > 0;
}

const withSite = (db: Db) =>
  db('api_keys as k').leftJoin('sites as s', 's.id', 'k.site_id').select('k.*', 's.slug as site_slug');

export async function findActiveKeyByHash(db: Db, keyHash: string): Promise<KeyRow | undefined> {
  return (await withSite(db).where('k.key_hash', keyHash).whereNull('k.revoked_at').first()) as KeyRow | undefined;
}

export async function findActiveKeyById(db: Db, id: string): Promise<KeyRow | undefined> {
  return (await withSite(db).where('k.id', id).whereNull('k.revoked_at').first()) as KeyRow | undefined;
}

export async function listKeyRows(db: Db): Promise<KeyRow[]> {
  return (await withSite(db).whereNull('k.revoked_at').orderBy('k.id')) as KeyRow[];
}

export async function revokeKeyRow(db: Db, id: string): Promise<number> {
  return db('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
}

/** Records use at most once a minute, so reads do not each queue a write (PGlite has one connection). */
export async function touchKey(db: Db, id: string): Promise<void> {
  await db('api_keys')
    .where({ id })
    .where((w) => w.whereNull('last_used_at').orWhere('last_used_at', '<', db.raw("now() - interval '1 minute'")))
    .update({ last_used_at: db.fn.now() });
}
