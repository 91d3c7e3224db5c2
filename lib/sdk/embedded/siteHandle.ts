import { createBranch, deleteBranch, listBranches } from '../../ops/branches.js';
import type { OpContext, SiteRef } from '../../ops/context.js';
import { listDocs } from '../../ops/listDocs.js';
import { listEvents } from '../../ops/listEvents.js';
import type { SiteHandle } from '../../types.js';
import { embeddedDocHandle } from './docHandle.js';
import { merge } from '../../ops/merge.js';
import { resolvePreview } from '../../ops/previews.js';
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
    update: async (input) => {
      try {
        return toSite(await updateSite({ ctx, site: await loadSite(), input }));
      } finally {
        forgetSite();
      }
    },
  };
}
