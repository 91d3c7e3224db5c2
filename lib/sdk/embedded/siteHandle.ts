import { createBranch, deleteBranch, listBranches } from '../../ops/branches.js';
import type { OpContext, SiteRef } from '../../ops/context.js';
import { listDocs } from '../../ops/listDocs.js';
import { listEvents } from '../../ops/listEvents.js';
import type { SiteHandle } from '../../types.js';
import { embeddedDocHandle } from './docHandle.js';
import { merge } from '../../ops/merge.js';
import { resolvePreview } from '../../ops/previews.js';
import { createWebhook, deleteWebhook, listWebhooks } from '../../ops/webhooks.js';
import { listDeliveries, redeliver } from '../../ops/deliveries.js';
import { search } from '../../ops/search.js';
import { createIntegration } from '../../ops/integrations/createIntegration.js';
import { deleteIntegration, listIntegrations } from '../../ops/integrations/listIntegrations.js';
import { checkIntegration } from '../../ops/integrations/checkIntegration.js';
import { updateIntegration } from '../../ops/integrations/updateIntegration.js';
import { toSite } from '../../ops/loadSite.js';
import { updateSite } from '../../ops/updateSite.js';

export function embeddedSiteHandle(ctx: OpContext, loadSite: () => Promise<SiteRef>, forgetSite: () => void = () => {}): SiteHandle {
  return {
    doc: (type, key, locale) => embeddedDocHandle(ctx, loadSite, type, key, locale),
    docs: async (filter) => listDocs({ ctx, site: await loadSite(), filter }),
    branches: async () => listBranches({ ctx, site: await loadSite() }),
    createBranch: async (name, opts) => createBranch({ ctx, site: await loadSite(), name, from: opts?.from }),
    deleteBranch: async (name) => deleteBranch({ ctx, site: await loadSite(), name }),
    merge: async (source, opts) => merge({ ctx, site: await loadSite(), source, opts }),
    events: async (opts) => listEvents({ ctx, site: await loadSite(), opts }),
    resolvePreview: async (token, opts) => resolvePreview({ ctx, token, site: await loadSite(), host: opts?.host }),
    // Webhooks and search (0.2)
    createWebhook: async (input) => createWebhook({ ctx, site: await loadSite(), input }),
    webhooks: async () => listWebhooks({ ctx, site: await loadSite() }),
    deleteWebhook: async (id) => deleteWebhook({ ctx, site: await loadSite(), id }),
    deliveries: async (webhookId, opts) => listDeliveries({ ctx, site: await loadSite(), webhookId, opts }),
    redeliver: async (deliveryId) => redeliver({ ctx, site: await loadSite(), deliveryId }),
    search: async (q, opts) => search({ ctx, site: await loadSite(), q, opts }),
    createIntegration: async (input) => createIntegration({ ctx, site: await loadSite(), input }),
    integrations: async () => listIntegrations({ ctx, site: await loadSite() }),
    deleteIntegration: async (name) => deleteIntegration({ ctx, site: await loadSite(), name }),
    updateIntegration: async (name, input) => updateIntegration({ ctx, site: await loadSite(), name, input }),
    checkIntegration: async (name, opts) => checkIntegration({ ctx, site: await loadSite(), name, opts }),
    update: async (input) => {
      try {
        return toSite(await updateSite({ ctx, site: await loadSite(), input }));
      } finally {
        forgetSite();
      }
    },
  };
}
