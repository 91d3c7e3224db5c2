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
