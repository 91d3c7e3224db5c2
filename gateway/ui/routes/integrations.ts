/** A document's integrations page, and its Push / Pull buttons (POST, then back to the page). */
import type { Request, Response, Router } from 'express';
import { VersoError } from '../../../lib/errors/index.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { assertCanWrite, canWrite, contextOf } from '../context.js';
import type { Notice } from '../layout.js';
import { one } from '../params.js';
import { integrationsPath, renderIntegrations } from '../pages/integrations.js';
import { DOC_ROUTE } from './doc.js';
import { loadDoc } from './load.js';

export function mountIntegrationRoutes(router: Router, args: { store: EmbeddedStore }): void {
  const { store } = args;

  const page = async (req: Request, res: Response, notice?: Notice, status = 200): Promise<void> => {
    const ctx = contextOf(res);
    const { address, site, handle } = await loadDoc(store, ctx, req);
    const [mappings, integrations] = await Promise.all([handle.mappings(), store.site(site.id).integrations()]);
    res.status(status).type('html').send(renderIntegrations({ ctx, doc: address, siteName: site.name, mappings, integrations, canWrite: canWrite(ctx.principal, site.id), notice }));
  };

  router.get(`${DOC_ROUTE}/integrations`, async (req, res) => {
    const done = one(req.query, 'done');
    const name = one(req.query, 'integration');
    const notice: Notice | undefined = done === 'pushed' ? { kind: 'success', text: `Pushed to ${name}.` } : done === 'pulled' ? { kind: 'success', text: `Pulled from ${name}: a new version was recorded.` } : undefined;
    await page(req, res, notice);
  });

  for (const action of ['push', 'pull'] as const) {
    router.post(`${DOC_ROUTE}/integrations/${action}`, async (req, res) => {
      const ctx = contextOf(res);
      assertCanWrite(ctx.principal, String(req.params.site));
      const { address, handle } = await loadDoc(store, ctx, req);
      const integration = one(req.body, 'integration') ?? '';
      const author = { name: ctx.session.name || `editor key ${ctx.principal.keyId}` };
      try {
        if (action === 'push') await handle.push(integration, { author });
        else await handle.pull(integration, { author });
      } catch (err) {
        // A conflict or a refusal from the remote is news for the editor, shown on the page.
        if (!(err instanceof VersoError) || err.code === 'internal') throw err;
        await page(req, res, { kind: 'error', text: err.message }, err.code === 'conflict' ? 409 : 400);
        return;
      }
      res.redirect(303, `${integrationsPath(address)}?done=${action === 'push' ? 'pushed' : 'pulled'}&integration=${encodeURIComponent(integration)}`);
    });
  }
}
