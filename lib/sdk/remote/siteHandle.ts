/** The remote SiteHandle. The site's default locale is fetched once, when a doc omits it. */
import { parseSiteId } from '../../ids.js';
import type { Branch, Site, SiteHandle } from '../../types.js';
import { remoteDocHandle } from './docHandle.js';
import { path, type Transport } from './http.js';

export function remoteSiteHandle(http: Transport, site: string): SiteHandle {
  let defaultLocale: Promise<string> | undefined;
  const siteDefaultLocale = (): Promise<string> => {
    if (!defaultLocale) {
      const pending = (async () => (await http.request<Site>('GET', path`/v1/sites/${parseSiteId(site)}`)).defaultLocale)();
      defaultLocale = pending;
      // A failed lookup (the site does not exist yet) is retried on the next call.
      pending.catch(() => {
        if (defaultLocale === pending) defaultLocale = undefined;
      });
    }
    return defaultLocale;
  };
  // Parsed per call, as the embedded store does, so `site('Bad')` fails on use, not on creation.
  const base = (): string => path`/v1/sites/${parseSiteId(site)}`;
  return {
    doc: (type, key, locale) => remoteDocHandle(http, site, type, key, locale === undefined ? siteDefaultLocale : async () => locale),
    docs: async (filter = {}) => http.request('GET', `${base()}/docs`, { query: { ...filter } }),
    branches: async () => (await http.request<{ items: Branch[] }>('GET', `${base()}/branches`)).items,
    createBranch: async (name, opts = {}) => http.request('POST', `${base()}/branches`, { body: { ...opts, name } }),
    deleteBranch: async (name) => http.request<void>('DELETE', `${base()}/branches${path`/${name}`}`),
    merge: async (source, opts = {}) => http.request('POST', `${base()}/merge`, { body: { ...opts, source } }),
    events: async (opts = {}) => http.request('GET', `${base()}/events`, { query: { ...opts } }),
    // The gateway reads the host from the request; X-Forwarded-Host carries ours, and it counts
    // only where the gateway trusts its callers as a proxy (its `trustProxy` setting).
    resolvePreview: async (token, opts = {}) =>
      http.request('GET', path`/v1/preview/${token}`, { query: { site: parseSiteId(site) }, ...(opts.host === undefined ? {} : { headers: { 'X-Forwarded-Host': opts.host } }) }),
    update: async (input) => http.request<Site>('PATCH', base(), { body: input }),
  };
}
