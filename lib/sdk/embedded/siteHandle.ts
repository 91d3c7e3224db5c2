import { createBranch, deleteBranch, listBranches } from '../../ops/branches.js';
import type { OpContext, SiteRef } from '../../ops/context.js';
import { listDocs } from '../../ops/listDocs.js';
import { listEvents } from '../../ops/listEvents.js';
import type { SiteHandle } from '../../types.js';
import { embeddedDocHandle } from './docHandle.js';
import { merge } from '../../ops/merge.js';
import { resolvePreview } from '../../ops/previews.js';
import { checkCall } from '../../schemas/calls.js';
import { createWebhook, deleteWebhook, listWebhooks } from '../../ops/webhooks.js';
import { listDeliveries, redeliver } from '../../ops/deliveries.js';
import { updateWebhook } from '../../ops/updateWebhook.js';
import { search } from '../../ops/search.js';
import { createIntegration } from '../../ops/integrations/createIntegration.js';
import { deleteIntegration, listIntegrations } from '../../ops/integrations/listIntegrations.js';
import { checkIntegration } from '../../ops/integrations/checkIntegration.js';
import { updateIntegration } from '../../ops/integrations/updateIntegration.js';
import { toSite } from '../../ops/loadSite.js';
import { updateSite } from '../../ops/updateSite.js';

export function embeddedSiteHandle(ctx: OpContext, loadSite: () => Promise<SiteRef>, forgetSite: () => void = () => {}, siteId?: string): SiteHandle {
  // Arguments are checked first (lib/schemas/calls.ts), as the remote client does.
  return {
    doc: (type, key, locale) => embeddedDocHandle(ctx, loadSite, type, key, locale, siteId),
    docs: async (filter) => (checkCall.docs(filter), listDocs({ ctx, site: await loadSite(), filter })),
    branches: async () => listBranches({ ctx, site: await loadSite() }),
    createBranch: async (name, opts) => (checkCall.createBranch(name, opts), createBranch({ ctx, site: await loadSite(), name, from: opts?.from })),
    deleteBranch: async (name) => (checkCall.deleteBranch(name), deleteBranch({ ctx, site: await loadSite(), name })),
    merge: async (source, opts) => (checkCall.merge(source, opts), merge({ ctx, site: await loadSite(), source, opts })),
    events: async (opts) => (checkCall.events(opts), listEvents({ ctx, site: await loadSite(), opts })),
    resolvePreview: async (token, opts) => (checkCall.resolvePreview(token), resolvePreview({ ctx, token, site: await loadSite(), host: opts?.host })),
    // Webhooks and search (0.2)
    createWebhook: async (input) => (checkCall.createWebhook(input), createWebhook({ ctx, site: await loadSite(), input })),
    webhooks: async () => listWebhooks({ ctx, site: await loadSite() }),
    updateWebhook: async (id, input) => (checkCall.updateWebhook(id, input), updateWebhook({ ctx, site: await loadSite(), id, input })),
    deleteWebhook: async (id) => (checkCall.deleteWebhook(id), deleteWebhook({ ctx, site: await loadSite(), id })),
    deliveries: async (webhookId, opts) => (checkCall.deliveries(webhookId, opts), listDeliveries({ ctx, site: await loadSite(), webhookId, opts })),
    redeliver: async (deliveryId) => (checkCall.redeliver(deliveryId), redeliver({ ctx, site: await loadSite(), deliveryId })),
    search: async (q, opts) => (checkCall.search(q, opts), search({ ctx, site: await loadSite(), q, opts })),
    createIntegration: async (input) => (checkCall.createIntegration(input), createIntegration({ ctx, site: await loadSite(), input })),
    integrations: async () => listIntegrations({ ctx, site: await loadSite() }),
    deleteIntegration: async (name) => (checkCall.deleteIntegration(name), deleteIntegration({ ctx, site: await loadSite(), name })),
    updateIntegration: async (name, input) => (checkCall.updateIntegration(name, input), updateIntegration({ ctx, site: await loadSite(), name, input })),
    checkIntegration: async (name, opts) => (checkCall.checkIntegration(name, opts), checkIntegration({ ctx, site: await loadSite(), name, opts })),
    update: async (input) => {
      checkCall.update(input);
      try {
        return toSite(await updateSite({ ctx, site: await loadSite(), input }));
      } finally {
        forgetSite();
      }
    },
  };
}
