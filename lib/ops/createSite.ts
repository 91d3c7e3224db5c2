/** createSite: the index rows (site, locales, domains) and the site's bare Git repository. */
import { insertEvent } from '../db/queries/events.js';
import { actorColumns } from './actor.js';
import { findSiteBySlug, insertDomains, insertLocales, insertSite } from '../db/queries/sites.js';
import { ConflictError, ValidationError } from '../errors/index.js';
import { parseLocale, parseSiteId } from '../ids.js';
import type { CreateSiteInput } from '../types.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { loadSite } from './loadSite.js';
import { parseStoredText } from './inputs.js';
import { LIMITS } from '../schemas/inputs.js';

export const HOST = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?$/;

export async function createSite({ ctx, input }: { ctx: OpContext; input: CreateSiteInput }): Promise<SiteRef> {
  if (!input || typeof input !== 'object') throw new ValidationError('createSite needs { id, name }', { field: 'input' });
  const slug = parseSiteId(input.id);
  const name = parseStoredText(input.name, 'name', LIMITS.name, { trim: true });
  const defaultLocale = parseLocale(input.defaultLocale ?? input.locales?.[0] ?? 'en', 'defaultLocale');
  if (input.locales !== undefined && !Array.isArray(input.locales)) throw new ValidationError('locales must be a list', { field: 'locales' });
  const locales = [...new Set([defaultLocale, ...(input.locales ?? []).map((l) => parseLocale(l, 'locales'))])];
  if (input.domains !== undefined && !Array.isArray(input.domains)) throw new ValidationError('domains must be a list', { field: 'domains' });
  const domains = [...new Set((input.domains ?? []).map((d) => String(d).toLowerCase()))];
  for (const d of domains) if (!HOST.test(d)) throw new ValidationError(`domain ${JSON.stringify(d)} is not a hostname`, { field: 'domains' });

  await ctx.repo(slug).init();
  await ctx.knex.transaction(async (trx) => {
    if (await findSiteBySlug(trx, slug)) throw new ConflictError(`site ${slug} exists`, { site: slug });
    const id = ctx.newId();
    await insertSite(trx, { id, slug, name, default_locale: defaultLocale, ...stamp(ctx) });
    await insertLocales(trx, locales.map((code) => ({ id: ctx.newId(), site_id: id, code, ...stamp(ctx) })));
    await insertDomains(trx, domains.map((hostname, i) => ({ id: ctx.newId(), site_id: id, hostname, is_primary: i === 0, ...stamp(ctx) })));
    await insertEvent(trx, { id: ctx.newId(), site_id: id, action: 'site.create', data: { slug }, hlc: ctx.clock.tick(), node_id: ctx.nodeId, ...actorColumns(ctx) });
  });
  return loadSite(ctx, slug);
}
