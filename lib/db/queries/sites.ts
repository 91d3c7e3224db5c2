import type { Db } from '../connection.js';
import type { SiteRow } from '../rows.js';

export interface Stamp {
  node_id: string;
  hlc_modified: bigint;
}

export async function insertSite(db: Db, row: { id: string; slug: string; name: string; default_locale: string } & Stamp): Promise<void> {
  await db('sites').insert(row);
}

export async function insertLocales(db: Db, rows: Array<{ id: string; site_id: string; code: string } & Stamp>): Promise<void> {
  if (rows.length) await db('locales').insert(rows);
}

export async function insertDomains(db: Db, rows: Array<{ id: string; site_id: string; hostname: string; is_primary: boolean } & Stamp>): Promise<void> {
  if (rows.length) await db('domains').insert(rows);
}

export async function findSiteBySlug(db: Db, slug: string): Promise<SiteRow | undefined> {
  return (await db('sites').where({ slug }).first()) as SiteRow | undefined;
}

export async function listSiteRows(db: Db): Promise<SiteRow[]> {
  return (await db('sites').orderBy('slug')) as SiteRow[];
}

export async function listLocaleCodes(db: Db, siteId: string): Promise<string[]> {
  return (await db('locales').where({ site_id: siteId }).orderBy('code').pluck('code')) as string[];
}

export async function listHostnames(db: Db, siteId: string): Promise<string[]> {
  return (await db('domains').where({ site_id: siteId }).orderBy([{ column: 'is_primary', order: 'desc' }, 'hostname']).pluck('hostname')) as string[];
}

export async function findSiteById(db: Db, id: string): Promise<SiteRow | undefined> {
  return (await db('sites').where({ id }).first()) as SiteRow | undefined;
}

/** SiteHandle.update: the sites row's own columns. */
export async function updateSiteRow(
  db: Db,
  id: string,
  patch: { name?: string; conflict_policy?: string; type_policies?: Record<string, string> } & Stamp,
): Promise<void> {
  const { type_policies, ...rest } = patch;
  // jsonb is bound as text: pg would send a JS object as a Postgres array literal.
  await db('sites').where({ id }).update({ ...rest, ...(type_policies ? { type_policies: JSON.stringify(type_policies) } : {}) });
}

export async function deleteLocales(db: Db, siteId: string, codes: string[]): Promise<void> {
  if (codes.length) await db('locales').where({ site_id: siteId }).whereIn('code', codes).delete();
}

/** Locales among `codes` that some document of the site is written in (they cannot go). */
export async function localesInUse(db: Db, siteId: string, codes: string[]): Promise<string[]> {
  if (!codes.length) return [];
  return (await db('documents').where({ site_id: siteId }).whereIn('locale', codes).distinct('locale').pluck('locale')) as string[];
}

/** Replaces the site's domains; the first becomes the primary one. Removed ones cascade to previews bound to them. */
export async function replaceDomains(db: Db, siteId: string, rows: Array<{ id: string; hostname: string } & Stamp>): Promise<void> {
  const hostnames = rows.map((r) => r.hostname);
  await db('domains').where({ site_id: siteId }).whereNotIn('hostname', hostnames).delete();
  // The one-primary unique index: clear the flag before setting it elsewhere.
  await db('domains').where({ site_id: siteId, is_primary: true }).update({ is_primary: false });
  const existing = new Set((await db('domains').where({ site_id: siteId }).pluck('hostname')) as string[]);
  const fresh = rows.filter((r) => !existing.has(r.hostname)).map((r) => ({ ...r, site_id: siteId, is_primary: false }));
  if (fresh.length) await db('domains').insert(fresh);
  if (hostnames.length) await db('domains').where({ site_id: siteId, hostname: hostnames[0] }).update({ is_primary: true });
}
