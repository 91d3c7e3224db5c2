/**
 * The review actions of the pages: comment, reply, resolve and reopen; move a label; create and
 * revoke preview links. Each is a POST (CSRF-checked by the router) that calls one store method
 * and goes back to the page it came from (`back`, a path inside the pages only).
 */
import type { Request, Router } from 'express';
import { ValidationError } from '../../../lib/errors/index.js';
import type { CommentInput, EmbeddedStore, PreviewOptions } from '../../../lib/types.js';
import { assertCanWrite, contextOf, type DocAddress, type UiContext } from '../context.js';
import { layout } from '../layout.js';
import { one, parseRef } from '../params.js';
import { paths, safeNext } from '../paths.js';
import { docCrumbs, docName } from '../pages/docTitle.js';
import { previewCreated } from '../pages/review.js';
import { DOC_ROUTE } from './doc.js';
import { loadDoc } from './load.js';

function backOf(req: Request, doc: DocAddress): string {
  const back = one(req.body, 'back');
  return back !== undefined && safeNext(back) === back ? back : paths.doc(doc);
}

const editor = (ctx: UiContext) => ({ name: ctx.session.name || `editor key ${ctx.principal.keyId}` });

function optionalInt(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(value)) throw new ValidationError(`${field} must be a whole number from 1`, { field });
  return Number(value);
}

export function mountReviewRoutes(router: Router, args: { store: EmbeddedStore }): void {
  const { store } = args;
  const writer = async (req: Request) => {
    const ctx = contextOf(req.res!);
    assertCanWrite(ctx.principal, String(req.params.site));
    return { ctx, ...(await loadDoc(store, ctx, req)) };
  };

  router.post(`${DOC_ROUTE}/comments`, async (req, res) => {
    const { ctx, address, handle } = await writer(req);
    const start = optionalInt(one(req.body, 'start'), 'start');
    const end = optionalInt(one(req.body, 'end'), 'end') ?? start;
    const parent = one(req.body, 'parent');
    const input: CommentInput = {
      body: one(req.body, 'body') ?? '',
      author: editor(ctx),
      type: (one(req.body, 'type') ?? 'comment') as CommentInput['type'],
      ...(start !== undefined && end !== undefined ? { anchor: { startLine: start, endLine: end } } : {}),
      ...(parent ? { parentId: parent } : {}),
    };
    await handle.comment(parseRef(one(req.body, 'ref'), 'ref'), input);
    res.redirect(303, backOf(req, address));
  });

  router.post(`${DOC_ROUTE}/comments/:id/resolve`, async (req, res) => {
    const { ctx, address, handle } = await writer(req);
    await handle.resolveComment(String(req.params.id), { resolved: one(req.body, 'resolved') !== '0', author: editor(ctx) });
    res.redirect(303, backOf(req, address));
  });

  router.post(`${DOC_ROUTE}/labels`, async (req, res) => {
    const { ctx, address, handle } = await writer(req);
    const message = one(req.body, 'message');
    await handle.label(one(req.body, 'name') ?? '', parseRef(one(req.body, 'ref'), 'ref'), { author: editor(ctx), ...(message ? { message: message.slice(0, 500) } : {}) });
    res.redirect(303, backOf(req, address));
  });

  router.post(`${DOC_ROUTE}/previews`, async (req, res) => {
    const { ctx, address, site, handle } = await writer(req);
    const expiresIn = optionalInt(one(req.body, 'expires'), 'expires');
    const maxUses = optionalInt(one(req.body, 'maxUses'), 'maxUses');
    const domain = one(req.body, 'domain');
    const opts: PreviewOptions = { ...(expiresIn ? { expiresIn } : {}), ...(maxUses ? { maxUses } : {}), ...(domain ? { domain } : {}) };
    const link = await handle.preview(parseRef(one(req.body, 'ref'), 'ref'), opts);
    // The token is shown once, here, and never put in a URL (where logs and history would keep it).
    res.type('html').send(layout({ title: `Preview link · ${docName(address)}`, ctx, crumbs: docCrumbs(address, site.name, 'Preview link'), body: previewCreated(link.url, link.expiresAt, backOf(req, address)) }));
  });

  router.post(`${DOC_ROUTE}/previews/:id/revoke`, async (req, res) => {
    const { address, handle } = await writer(req);
    await handle.revokePreview(String(req.params.id));
    res.redirect(303, backOf(req, address));
  });
}
