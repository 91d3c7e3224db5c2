/**
 * The merge page (GET: pick branches and preview with a dry run; POST: merge with the choices
 * made per conflict). Merging follows the API's 'site:write' (admin and editor keys).
 */
import type { Request, Response, Router } from 'express';
import { ConflictError, ForbiddenError, ValidationError, VersoError } from '../../../lib/errors/index.js';
import type { EmbeddedStore, MergeResolution, MergeResult } from '../../../lib/types.js';
import { assertCanSee, contextOf, type UiContext } from '../context.js';
import type { Notice } from '../layout.js';
import { one } from '../params.js';
import { paths } from '../paths.js';
import { renderMerge } from '../pages/merge.js';

const MAX_ROWS = 1000;
const TAKES = new Set(['ours', 'theirs', 'base']);

// Mirrors ROLES_FOR['site:write'] in gateway/auth.ts.
const canMerge = (ctx: UiContext, site: string): boolean => (ctx.principal.site === undefined || ctx.principal.site === site) && (ctx.principal.role === 'admin' || ctx.principal.role === 'editor');

function doneNotice(query: unknown): Notice | undefined {
  const n = one(query, 'done');
  const commit = one(query, 'commit');
  if (!n || !/^\d+$/.test(n) || !commit || !/^[0-9a-f]{7,40}$/.test(commit)) return undefined;
  return { kind: 'success', text: `Merged: ${n} new version(s) in merge commit ${commit.slice(0, 7)}.` };
}

/** The choices of the POSTed form: rows doc-i / path-i / take-i for i < count. */
function resolutionsOf(body: unknown): { resolutions: MergeResolution[]; chosen: Record<number, string> } {
  const count = Number(one(body, 'count') ?? '0');
  if (!Number.isInteger(count) || count < 0 || count > MAX_ROWS) throw new ValidationError('the form lists too many conflicts', { field: 'count' });
  const resolutions: MergeResolution[] = [];
  const chosen: Record<number, string> = {};
  const missing: string[] = [];
  for (let i = 0; i < count; i++) {
    const doc = one(body, `doc-${i}`);
    // A path may be '' (the whole document), which one() reads as absent.
    const rawPath = (body as Record<string, unknown>)[`path-${i}`];
    const path = typeof rawPath === 'string' ? rawPath : undefined;
    const take = one(body, `take-${i}`);
    if (!doc || path === undefined) throw new ValidationError(`conflict row ${i + 1} is incomplete`, { field: `doc-${i}` });
    if (!take || !TAKES.has(take)) {
      missing.push(`${doc} ${path || '(whole document)'}`);
      continue;
    }
    chosen[i] = take;
    resolutions.push({ doc, path, take: take as 'ours' | 'theirs' | 'base' });
  }
  if (missing.length) throw new ValidationError(`Choose what to keep for every conflict; missing: ${missing.join(', ')}`, { field: 'take' });
  return { resolutions, chosen };
}

async function page(store: EmbeddedStore, req: Request, res: Response, o: { source?: string; into?: string; notice?: Notice; chosen?: Record<number, string> }): Promise<void> {
  const ctx = contextOf(res);
  const siteId = String(req.params.site);
  const site = await store.getSite(siteId);
  const handle = store.site(site.id);
  const branches = await handle.branches();
  const into = o.into ?? 'main';
  let plan: MergeResult | undefined;
  let notice = o.notice;
  if (o.source) {
    try {
      // Manual, whatever the site's policy: the editor sees every conflict and decides.
      plan = await handle.merge(o.source, { into, policy: 'manual', dryRun: true });
    } catch (err) {
      if (!(err instanceof VersoError) || err instanceof ForbiddenError) throw err;
      notice = { kind: 'error', text: err.message };
    }
  }
  res.status(notice?.kind === 'error' ? 400 : 200).type('html').send(renderMerge({
    ctx, site, branches, source: o.source, into, plan, chosen: o.chosen, canMerge: canMerge(ctx, site.id), notice,
  }));
}

export function mountMergeRoutes(router: Router, args: { store: EmbeddedStore }): void {
  const { store } = args;

  router.get('/sites/:site/merge', async (req, res) => {
    assertCanSee(contextOf(res).principal, String(req.params.site));
    await page(store, req, res, { source: one(req.query, 'source'), into: one(req.query, 'into'), notice: doneNotice(req.query) });
  });

  router.post('/sites/:site/merge', async (req, res) => {
    const ctx = contextOf(res);
    const site = String(req.params.site);
    assertCanSee(ctx.principal, site);
    if (!canMerge(ctx, site)) throw new ForbiddenError(`a ${ctx.principal.role} key can read this site but not merge`, { role: ctx.principal.role });
    const source = one(req.body, 'source');
    const into = one(req.body, 'into') ?? 'main';
    if (!source) throw new ValidationError('pick a source branch', { field: 'source' });
    let chosen: Record<number, string> | undefined;
    try {
      const parsed = resolutionsOf(req.body);
      chosen = parsed.chosen;
      const r = await store.site(site).merge(source, {
        into,
        policy: 'manual',
        resolutions: parsed.resolutions,
        message: one(req.body, 'message')?.slice(0, 500) ?? `Merge ${source} into ${into}`,
        author: { name: ctx.session.name || `editor key ${ctx.principal.keyId}` },
      });
      res.redirect(303, paths.merge(site, { source, into, done: r.versions.length, commit: r.commit }));
    } catch (err) {
      // The branches moved since the preview, or a choice no longer fits: show the page again.
      if (!(err instanceof ConflictError || err instanceof ValidationError)) throw err;
      await page(store, req, res, { source, into, chosen, notice: { kind: 'error', text: err.message } });
    }
  });
}
