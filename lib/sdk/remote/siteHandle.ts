/** The remote SiteHandle. The site's default locale is fetched once, when a doc omits it. */
import { parseSiteId } from '../../ids.js';
import type { Branch, Integration, Mapping, Site, SiteHandle, Webhook } from '../../types.js';
import { remoteDocHandle } from './docHandle.js';
import { checkCall } from '../../schemas/calls.js';
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
    docs: async (filter = {}) => (checkCall.docs(filter), http.request('GET', `${base()}/docs`, { query: { ...filter } })),
    branches: async () => (await http.request<{ items: Branch[] }>('GET', `${base()}/branches`)).items,
    createBranch: async (name, opts = {}) => (checkCall.createBranch(name, opts), http.request('POST', `${base()}/branches`, { body: { ...opts, name } })),
    deleteBranch: async (name) => (checkCall.deleteBranch(name), http.request<void>('DELETE', `${base()}/branches${path`/${name}`}`)),
    merge: async (source, opts = {}) => (checkCall.merge(source, opts), http.request('POST', `${base()}/merge`, { body: { ...opts, source } })),
    events: async (opts = {}) => (checkCall.events(opts), http.request('GET', `${base()}/events`, { query: { ...opts } })),
    // The gateway reads the host from the request; X-Forwarded-Host carries ours, and it counts
    // only where the gateway trusts its callers as a proxy (its `trustProxy` setting).
    resolvePreview: async (token, opts = {}) => (
      checkCall.resolvePreview(token),
      http.request('GET', path`/v1/preview/${token}`, { query: { site: parseSiteId(site) }, ...(opts.host === undefined ? {} : { headers: { 'X-Forwarded-Host': opts.host } }) })
    ),
    // Webhooks and search (0.2)
    createWebhook: async (input) => (checkCall.createWebhook(input), http.request('POST', `${base()}/webhooks`, { body: input })),
    webhooks: async () => (await http.request<{ items: Webhook[] }>('GET', `${base()}/webhooks`)).items,
    updateWebhook: async (id, input) => (checkCall.updateWebhook(id, input), http.request<Webhook>('PATCH', `${base()}/webhooks${path`/${id}`}`, { body: input })),
    deleteWebhook: async (id) => (checkCall.deleteWebhook(id), http.request<void>('DELETE', `${base()}/webhooks${path`/${id}`}`)),
    deliveries: async (webhookId, opts = {}) => (checkCall.deliveries(webhookId, opts), http.request('GET', `${base()}/webhooks${path`/${webhookId}`}/deliveries`, { query: { ...opts } })),
    redeliver: async (deliveryId) => (checkCall.redeliver(deliveryId), http.request('POST', `${base()}/deliveries${path`/${deliveryId}`}/redeliver`)),
    search: async (q, opts = {}) => (checkCall.search(q, opts), http.request('GET', `${base()}/search`, { query: { ...opts, q } })),
    createIntegration: async (input) => (checkCall.createIntegration(input), http.request<Integration>('POST', `${base()}/integrations`, { body: input })),
    integrations: async () => (await http.request<{ items: Integration[] }>('GET', `${base()}/integrations`)).items,
    deleteIntegration: async (name) => (checkCall.deleteIntegration(name), http.request<void>('DELETE', `${base()}/integrations${path`/${name}`}`)),
    updateIntegration: async (name, input) => (checkCall.updateIntegration(name, input), http.request<Integration>('PATCH', `${base()}/integrations${path`/${name}`}`, { body: input })),
    checkIntegration: async (name, opts) => {
      checkCall.checkIntegration(name, opts);
      const { items } = await http.request<{ items: Mapping[] }>('POST', `${base()}/integrations${path`/${name}`}/check`, { body: {} });
      opts?.onProgress?.({ done: items.length, total: items.length });
      return items;
    },
    update: async (input) => (checkCall.update(input), http.request<Site>('PATCH', base(), { body: input })),
  };
}
