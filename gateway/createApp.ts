/**
 * The HTTP gateway: `createApp({ store })` serves any embedded store over HTTP.
 * Middleware order matters: request ids and logs first; then security headers; then the API
 * key (so rate limiting can count per key); then rate limiting; then body parsing (a limited
 * request is refused before its body is read); then the routes; then 404 and the one error
 * handler.
 */
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { EmbeddedStore } from '../lib/types.js';
import { identify } from './auth.js';
import { renderDocsPage } from './docsPage.js';
import { errorHandler, unknownRoute } from './errors.js';
import { gitRouter } from './git/index.js';
import { refuseInexactNumbers } from './jsonNumbers.js';
import { defaultLogger, requestLogger } from './logging.js';
import { buildOpenApi, type OpenApiDocument } from './openapi.js';
import { DEFAULT_RATE_LIMIT, rateLimiter, type RateLimitOptions } from './rateLimit.js';
import { defineRoute, mountRoutes, type RouteDef } from './route.js';
import { branchRoutes } from './routes/branches.js';
import { mergeRoutes } from './routes/merge.js';
import { docRoutes } from './routes/docs.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { keyRoutes } from './routes/keys.js';
import { previewRoutes } from './routes/preview.js';
import { reviewRoutes } from './routes/review.js';
import { siteRoutes } from './routes/sites.js';
import { versionRoutes } from './routes/versions.js';
import { webhookRoutes } from './routes/webhooks.js';
import { searchRoutes } from './routes/search.js';
import { GITHUB_WEBHOOK_PATH, RAW_BODY, integrationRoutes } from './routes/integrations.js';
import { uiRouter } from './ui/index.js';

export interface CreateAppArgs {
  store: EmbeddedStore;
  /** Defaults to pino at `LOG_LEVEL` (info). */
  logger?: Logger;
  /** Per API key (or client address without one). Default 6000 a minute; `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** Largest JSON body accepted; larger ones get 413 too_large. Default '12mb'. */
  bodyLimit?: string;
  /** Express `trust proxy`, for `req.ip` behind a load balancer. Default: off. */
  trustProxy?: boolean | number | string;
}

/** Every API route, in the order the reference lists them. */
export const apiRoutes: ReadonlyArray<RouteDef<unknown, unknown>> = [
  ...siteRoutes,
  ...docRoutes,
  ...versionRoutes,
  ...reviewRoutes,
  ...branchRoutes,
  ...mergeRoutes,
  ...eventRoutes,
  ...webhookRoutes,
  ...searchRoutes,
  ...previewRoutes,
  ...keyRoutes,
  ...integrationRoutes,
  ...healthRoutes,
];

function referenceRoutes(getDoc: () => OpenApiDocument, getHtml: () => string): RouteDef<unknown, unknown>[] {
  return [
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openapi',
      tag: 'Operations',
      summary: 'This OpenAPI 3.1 document',
      access: 'public',
      status: 200,
      response: { type: 'object', additionalProperties: true, description: 'An OpenAPI 3.1 document.' },
      handle: async () => getDoc(),
    }),
    defineRoute({
      method: 'get',
      path: '/docs',
      operationId: 'docs',
      tag: 'Operations',
      summary: 'The API reference as a web page',
      access: 'public',
      status: 200,
      response: { type: 'string' },
      responseType: 'text/html',
      handle: async ({ res }) => {
        res.type('html').send(getHtml());
        return undefined;
      },
    }),
  ];
}

/** The OpenAPI document of every route the gateway serves. */
export function openApiDocument(): OpenApiDocument {
  return buildOpenApi([...apiRoutes, ...referenceRoutes(openApiDocument, () => '')]);
}

/**
 * Builds the Express app over `store`. The caller owns the store and closes it.
 *
 * @example
 * const store = await openStore({ dataDir: '.verso' });
 * const app = createApp({ store });
 * app.listen(4000);
 */
export function createApp(args: CreateAppArgs): express.Express {
  const { store } = args;
  const logger = args.logger ?? defaultLogger();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', args.trustProxy ?? false);
  // Our answers are per caller; weak ETags on them buy nothing and cost a hash per response.
  app.set('etag', false);

  const document = openApiDocument();
  let html: string | undefined;
  const routes = [...apiRoutes, ...referenceRoutes(() => document, () => (html ??= renderDocsPage(document)))];

  app.use(requestLogger(logger));
  app.use(
    helmet({
      // The API answers JSON and /docs is one page with an inline stylesheet: nothing else may load.
      // /ui sets its own policy.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          styleSrc: ["'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          baseUri: ["'none'"],
          formAction: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
    }),
  );
  app.use('/v1', identify(store));
  if (args.rateLimit !== false) app.use(rateLimiter(args.rateLimit ?? DEFAULT_RATE_LIMIT));
  const git = gitRouter({ store });
  // Work started here that outlives a request; startServer's close() stops it and waits.
  app.locals.stopBackground = [git.stopHooks];
  app.use('/git', git);
  app.use(
    '/v1',
    express.json({
      limit: args.bodyLimit ?? '12mb',
      type: ['application/json', 'application/*+json'],
      // A webhook's signature covers the exact bytes sent: keep them for that one route.
      verify: (req, res, buf) => {
        if (req.url?.split('?')[0] === GITHUB_WEBHOOK_PATH.slice(3)) (req as unknown as Record<symbol, Buffer>)[RAW_BODY] = Buffer.from(buf);
        // Numbers JSON.parse would change are refused from the raw text (not GitHub's events).
        else refuseInexactNumbers(req, res, buf);
      },
    }),
  );

  const api = express.Router();
  mountRoutes(api, routes, store);
  app.use(api);
  app.use('/ui', uiRouter({ store, logger }));

  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
