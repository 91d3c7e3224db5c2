import { createBranch, deleteBranch, listBranches } from '../../ops/branches.js';
import type { OpContext, SiteRef } from '../../ops/context.js';
import { listDocs } from '../../ops/listDocs.js';
import { listEvents } from '../../ops/listEvents.js';
import type { SiteHandle } from '../../types.js';
import { embeddedDocHandle } from './docHandle.js';
import { merge } from '../../ops/merge.js';
import { resolvePreview } from '../../ops/previews.js';
import { checkCall } from '../../schemas/calls.js';
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
