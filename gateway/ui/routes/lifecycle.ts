/** Unpublish a document and archive it: a confirmation page (GET), then the change (POST). */
import type { Router } from 'express';
import type { EmbeddedStore } from '../../../lib/types.js';
import { assertCanWrite, contextOf } from '../context.js';
import { paths } from '../paths.js';
import { renderConfirmArchive, renderConfirmUnpublish } from '../pages/confirmLifecycle.js';
import { currentVersions, loadDoc } from './load.js';
import { DOC_ROUTE } from './doc.js';

export function mountLifecycleRoutes(router: Router, args: { store: EmbeddedStore }): void {
  const { store } = args;

  for (const action of ['unpublish', 'archive'] as const) {
    router.get(`${DOC_ROUTE}/${action}`, async (req, res) => {
      const ctx = contextOf(res);
      assertCanWrite(ctx.principal, String(req.params.site));
      const { address, site, handle } = await loadDoc(store, ctx, req);
      const { published } = await currentVersions(handle);
      const view = { ctx, doc: address, siteName: site.name, ...(published ? { published } : {}) };
      res.type('html').send(action === 'unpublish' ? renderConfirmUnpublish(view) : renderConfirmArchive(view));
    });

    router.post(`${DOC_ROUTE}/${action}`, async (req, res) => {
      const ctx = contextOf(res);
      assertCanWrite(ctx.principal, String(req.params.site));
      const { address, handle } = await loadDoc(store, ctx, req);
      if (action === 'unpublish') await handle.unpublish();
      else await handle.archive();
      res.redirect(303, paths.doc(address, { done: action === 'unpublish' ? 'unpublished' : 'archived' }));
    });
  }
}
