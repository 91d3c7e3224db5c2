/**
 * updateSite (SiteHandle.update): name, locales, domains and the merge conflict policies.
 * Everything is checked before anything is written, and written in one transaction. A locale
 * some document is written in cannot be removed (its versions would lose their locale), nor can
 * the default locale.
 */
import { parseStoredText } from './inputs.js';
import { LIMITS } from '../schemas/inputs.js';
import { deleteLocales, insertLocales, localesInUse, replaceDomains, updateSiteRow } from '../db/queries/sites.js';
import { ConflictError, ValidationError } from '../errors/index.js';
import { parseLocale, parseSlug } from '../ids.js';
import type { ConflictPolicy, UpdateSiteInput } from '../types.js';
import { insertEvent } from '../db/queries/events.js';
import { actorColumns } from './actor.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { HOST } from './createSite.js';
import { parseEnum } from './inputs.js';
import { loadSite } from './loadSite.js';

const FIELDS = new Set(['name', 'locales', 'domains', 'conflictPolicy', 'typePolicies']);
export const POLICIES: readonly ConflictPolicy[] = ['manual', 'lww'];
const MAX_TYPE_POLICIES = 200;

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(`${field} must be a list`, { field });
  if (value.length > 200) throw new ValidationError(`${field} holds at most 200 entries`, { field });
  return value;
}

function parseTypePolicies(value: unknown): Record<string, ConflictPolicy> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError('typePolicies must be an object of document type → policy', { field: 'typePolicies' });
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_TYPE_POLICIES) throw new ValidationError(`typePolicies holds at most ${MAX_TYPE_POLICIES} types`, { field: 'typePolicies' });
  const out: Record<string, ConflictPolicy> = {};
  for (const [type, policy] of entries) {
    if (policy === undefined) throw new ValidationError(`typePolicies.${type} must be manual or lww`, { field: 'typePolicies' });
    out[parseSlug(type, 'typePolicies')] = parseEnum(policy, POLICIES, `typePolicies.${type}`, 'manual');
  }
  return out;
}

export async function updateSite({ ctx, site, input }: { ctx: OpContext; site: SiteRef; input: UpdateSiteInput }): Promise<SiteRef> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new ValidationError('update needs an object', { field: 'input' });
  for (const k of Object.keys(input)) if (!FIELDS.has(k)) throw new ValidationError(`unknown field ${JSON.stringify(k)}`, { field: k });
  const { name, locales, domains, conflictPolicy, typePolicies } = input;
  if (name !== undefined) parseStoredText(name, 'name', LIMITS.name);
  const policy = conflictPolicy === undefined ? undefined : parseEnum(conflictPolicy, POLICIES, 'conflictPolicy', 'manual');
  const types = typePolicies === undefined ? undefined : parseTypePolicies(typePolicies);
  const nextLocales = locales === undefined ? undefined : [...new Set(list(locales, 'locales').map((l) => parseLocale(l, 'locales')))];
  if (nextLocales && !nextLocales.includes(site.defaultLocale)) {
    throw new ValidationError(`locales must keep the default locale ${site.defaultLocale}`, { field: 'locales' });
  }
  const nextDomains = domains === undefined ? undefined : [...new Set(list(domains, 'domains').map((d) => (typeof d === 'string' ? d.toLowerCase() : '')))];
  for (const d of nextDomains ?? []) if (!HOST.test(d)) throw new ValidationError(`domain ${JSON.stringify(d)} is not a hostname`, { field: 'domains' });

  await ctx.knex.transaction(async (trx) => {
    if (nextLocales) {
      const removed = site.locales.filter((l) => !nextLocales.includes(l));
      const used = await localesInUse(trx, site.id, removed);
      if (used.length) throw new ConflictError(`locale(s) ${used.join(', ')} still have documents`, { locales: used });
      await deleteLocales(trx, site.id, removed);
      const added = nextLocales.filter((l) => !site.locales.includes(l));
      await insertLocales(trx, added.map((code) => ({ id: ctx.newId(), site_id: site.id, code, ...stamp(ctx) })));
    }
    if (nextDomains) await replaceDomains(trx, site.id, nextDomains.map((hostname) => ({ id: ctx.newId(), hostname, ...stamp(ctx) })));
    if (name !== undefined || policy !== undefined || types !== undefined) {
      await updateSiteRow(trx, site.id, {
        ...(name !== undefined ? { name: name.trim() } : {}),
        ...(policy !== undefined ? { conflict_policy: policy } : {}),
        ...(types !== undefined ? { type_policies: types } : {}),
        ...stamp(ctx),
      });
    }
    // The audit trail: the fields given, before and after.
    const after: Record<string, unknown> = {
      ...(name !== undefined ? { name: name.trim() } : {}),
      ...(nextLocales ? { locales: nextLocales } : {}),
      ...(nextDomains ? { domains: nextDomains } : {}),
      ...(policy !== undefined ? { conflictPolicy: policy } : {}),
      ...(types !== undefined ? { typePolicies: types } : {}),
    };
    const before = Object.fromEntries(Object.keys(after).map((k) => [k, site[k as keyof SiteRef]]));
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, action: 'site.update', data: { fields: Object.keys(after) }, old_values: before, new_values: after, hlc: ctx.clock.tick(), node_id: ctx.nodeId, ...actorColumns(ctx) });
  });
  return loadSite(ctx, site.slug);
}
