/** Publish a version and roll back to one: a confirmation page (GET), then the change (POST). */
import type { Router } from 'express';
import type { EmbeddedStore } from '../../../lib/types.js';
import { assertCanWrite, contextOf } from '../context.js';
import { one, parseRef } from '../params.js';
import { paths } from '../paths.js';
import { renderConfirmPublish, renderConfirmRollback } from '../pages/confirm.js';
import { currentVersions, loadDoc, withoutContent } from './load.js';
import { DOC_ROUTE } from './doc.js';

export function mountActionRoutes(router: Router, args: { store: EmbeddedStore }): void {
  const { store } = args;

  router.get(`${DOC_ROUTE}/publish`, async (req, res) => {
    const ctx = contextOf(res);
    assertCanWrite(ctx.principal, String(req.params.site));
    const { address, site, handle } = await loadDoc(store, ctx, req);
    const [target, current] = await Promise.all([handle.show(parseRef(one(req.query, 'ref'), 'ref')), currentVersions(handle)]);
    res.type('html').send(renderConfirmPublish({ ctx, doc: address, siteName: site.name, target: withoutContent(target), ...current }));
  });

  router.post(`${DOC_ROUTE}/publish`, async (req, res) => {
    const ctx = contextOf(res);
    assertCanWrite(ctx.principal, String(req.params.site));
    const { address, handle } = await loadDoc(store, ctx, req);
    const published = await handle.publish(parseRef(one(req.body, 'ref'), 'ref'));
    res.redirect(303, paths.doc(address, { done: 'published', v: published.number }));
  });

  router.get(`${DOC_ROUTE}/rollback`, async (req, res) => {
    const ctx = contextOf(res);
    assertCanWrite(ctx.principal, String(req.params.site));
    const { address, site, handle } = await loadDoc(store, ctx, req);
    const [target, current] = await Promise.all([handle.show(parseRef(one(req.query, 'ref'), 'ref')), currentVersions(handle)]);
    res.type('html').send(renderConfirmRollback({ ctx, doc: address, siteName: site.name, target: withoutContent(target), ...current }));
  });

  router.post(`${DOC_ROUTE}/rollback`, async (req, res) => {
    const ctx = contextOf(res);
    assertCanWrite(ctx.principal, String(req.params.site));
    const { address, handle } = await loadDoc(store, ctx, req);
    const target = await handle.show(parseRef(one(req.body, 'ref'), 'ref'));
    const publish = one(req.body, 'publish') === '1';
    const restored = await handle.rollback(target.number, {
      message: one(req.body, 'message')?.slice(0, 500) ?? `Roll back to version ${target.number}`,
      author: { name: ctx.session.name || `editor key ${ctx.principal.keyId}`, ...(ctx.session.email ? { email: ctx.session.email } : {}) },
      publish,
    });
    res.redirect(303, paths.doc(address, { done: 'rolled-back', v: restored.number, from: target.number, pub: publish }));
  });
}
