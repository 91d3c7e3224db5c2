import { findSiteById, findSiteBySlug, listHostnames, listLocaleCodes, listSiteRows } from '../db/queries/sites.js';
import { iso, type SiteRow } from '../db/rows.js';
import { NotFoundError } from '../errors/index.js';
import { parseSiteId } from '../ids.js';
import type { Site } from '../types.js';
import type { OpContext, SiteRef } from './context.js';

async function withDetails(ctx: OpContext, row: SiteRow): Promise<SiteRef> {
  const [locales, domains] = await Promise.all([listLocaleCodes(ctx.knex, row.id), listHostnames(ctx.knex, row.id)]);
  return {
    id: row.id, slug: row.slug, name: row.name, defaultLocale: row.default_locale, locales, domains, createdAt: iso(row.created_at),
    conflictPolicy: row.conflict_policy, typePolicies: row.type_policies ?? {},
  };
}

/** getSite: throws NotFound for an unknown site. */
export async function loadSite(ctx: OpContext, id: string): Promise<SiteRef> {
  const slug = parseSiteId(id);
  const row = await findSiteBySlug(ctx.knex, slug);
  if (!row) throw new NotFoundError(`site ${slug} does not exist`, { site: slug });
  return withDetails(ctx, row);
}

export async function listSites(ctx: OpContext): Promise<SiteRef[]> {
  const rows = await listSiteRows(ctx.knex);
  const out: SiteRef[] = [];
  for (const r of rows) out.push(await withDetails(ctx, r));
  return out;
}

export function toSite(s: SiteRef): Site {
  return {
    id: s.slug, name: s.name, defaultLocale: s.defaultLocale, locales: s.locales, domains: s.domains, createdAt: s.createdAt,
    conflictPolicy: s.conflictPolicy, typePolicies: { ...s.typePolicies },
  };
}

/** A site by its index key (ULID), for records that only carry site_id. */
export async function loadSiteByRowId(ctx: OpContext, id: string): Promise<SiteRef> {
  const row = await findSiteById(ctx.knex, id);
  if (!row) throw new NotFoundError('site does not exist', {});
  return withDetails(ctx, row);
}
