/**
 * The editors' pages, mounted by the gateway at /ui: sign in with an API key, pick a site, browse
 * and search its documents, read a document's history, compare any two versions side by side,
 * publish a version and roll back to one. Server-rendered HTML over the embedded store; one
 * small script and one stylesheet, no inline code, so a strict CSP holds.
 *
 * @example
 *   app.use('/ui', uiRouter({ store }));
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { EmbeddedStore } from '../../lib/types.js';
import { NotFoundError } from '../../lib/errors/index.js';
import { assets } from './assets/index.js';
import { contextOf, type UiContext } from './context.js';
import { pageErrorOf } from './errors.js';
import { paths } from './paths.js';
import { csrfSigner } from './session.js';
import { SessionStore } from './sessionStore.js';
import { renderError } from './pages/error.js';
import { mountAuthRoutes, requireCsrf, requireSession } from './routes/auth.js';
import { mountBrowseRoutes } from './routes/browse.js';
import { mountDocRoutes } from './routes/doc.js';
import { mountActionRoutes } from './routes/actions.js';
import { mountIntegrationRoutes } from './routes/integrations.js';
import { mountReviewRoutes } from './routes/review.js';
import { mountMergeRoutes } from './routes/merge.js';

/** The slice of a pino logger the pages use. */
export interface UiLogger {
  error(obj: object, msg?: string): void;
}

const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
  next();
}

function serveAsset(req: Request, res: Response, next: NextFunction): void {
  const asset = assets[String(req.params.name)];
  if (!asset) return next();
  res.setHeader('Content-Type', asset.type);
  // The URL carries the content hash, so a matching request can be cached for good.
  res.setHeader('Cache-Control', req.query.v === asset.hash ? 'public, max-age=31536000, immutable' : 'no-cache');
  res.setHeader('ETag', `"${asset.hash}"`);
  if (req.headers['if-none-match'] === `"${asset.hash}"`) {
    res.status(304).end();
    return;
  }
  res.send(asset.body);
}

/** Where "back" leads from an error on a given page. */
function backFor(path: string): { href: string; label: string } | undefined {
  const doc = /^\/sites\/([^/]+)\/docs\/([^/]+)\/([^/]+)\/([^/]+)/.exec(path);
  const dec = (s: string | undefined): string => decodeURIComponent(s ?? '');
  if (doc) return { href: paths.doc({ site: dec(doc[1]), type: dec(doc[2]), key: dec(doc[3]), locale: dec(doc[4]) }), label: 'Back to the history' };
  const site = /^\/sites\/([^/]+)/.exec(path);
  if (site) return { href: paths.site(dec(site[1])), label: 'Back to the documents' };
  return undefined;
}

export function uiRouter(args: { store: EmbeddedStore; logger?: UiLogger }): Router {
  const { store } = args;
  const csrf = csrfSigner();
  const sessions = new SessionStore();
  const router = express.Router();

  router.use(securityHeaders);
  router.get('/assets/:name', serveAsset);
  router.use(express.urlencoded({ extended: false, limit: '32kb' }));
  mountAuthRoutes(router, { store, csrf, sessions });

  router.use(requireSession({ store, csrf, sessions }));
  const checkCsrf = requireCsrf({ csrf, sessions });
  router.use((req, res, next) => (req.method === 'POST' ? checkCsrf(req, res, next) : next()));
  // What an editor does here is named in the audit trail by the key they signed in with.
  router.use((_req, res, next) => {
    const { principal } = contextOf(res);
    void store.runAs({ keyId: principal.keyId, ...(principal.name ? { name: principal.name } : {}) }, async () => next());
  });
  router.get('/', (_req, res) => res.redirect(303, paths.sites()));
  mountBrowseRoutes(router, { store });
  mountDocRoutes(router, { store });
  mountActionRoutes(router, { store });
  mountIntegrationRoutes(router, { store });
  mountReviewRoutes(router, { store });
  mountMergeRoutes(router, { store });

  router.use((req, _res, next) => next(new NotFoundError(`no page at ${req.originalUrl.split('?')[0]}`)));
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const error = pageErrorOf(err);
    if (!error.known) {
      const logger = args.logger ?? (req as Request & { log?: UiLogger }).log;
      if (logger) logger.error({ err, path: req.path }, 'editors page failed');
      else console.error('editors page failed', req.path, err);
    }
    const ctx = (res.locals as { ui?: UiContext }).ui;
    res.status(error.status).type('html').send(renderError({ error, ctx, back: ctx ? backFor(req.path) : undefined }));
  });
  return router;
}
