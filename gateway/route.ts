/**
 * One declaration per route: method, path, who may call it, the schemas of its input and
 * answer, and a thin handler that calls ONE store method. The same declarations mount the
 * Express routes and generate the OpenAPI document, so the two cannot drift apart.
 */
import type { Request, Response, Router } from 'express';
import { ValidationError } from '../lib/errors/index.js';
import { parseVersionRef } from '../lib/schemas/calls.js';
import type { EmbeddedStore, Principal, VersionRef } from '../lib/types.js';
import { authorize, type Access } from './auth.js';
import { paramSchemas, querySchemas, type JsonSchema } from './schemas.js';
import { validate } from './validate.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteContext<B, Q> {
  store: EmbeddedStore;
  principal: Principal | undefined;
  params: Record<string, string>;
  body: B;
  query: Q;
  req: Request;
  res: Response;
}

export interface RouteDef<B = Record<string, never>, Q = Record<string, never>> {
  method: Method;
  /** Express path syntax (`/v1/sites/:site`); the OpenAPI path uses `{site}`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** JSON body schema; absent: the route takes no body (an empty `{}` is still accepted). */
  body?: JsonSchema;
  /** Query schema; absent: no query parameters are accepted. */
  query?: JsonSchema;
  /** Status of a successful answer. 204 answers no body. */
  status: 200 | 201 | 204;
  /** Schema of the successful answer (absent for 204). */
  response?: JsonSchema;
  /** Media type of the successful answer; default application/json. */
  responseType?: string;
  handle(ctx: RouteContext<B, Q>): Promise<unknown>;
}

/** Declares a route; the type parameters name the shapes its schemas guarantee. */
export function defineRoute<B = Record<string, never>, Q = Record<string, never>>(def: RouteDef<B, Q>): RouteDef<unknown, unknown> {
  return def as unknown as RouteDef<unknown, unknown>;
}

/** Names of `:params` in an Express path. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]!);
}

/** `:ref` and ref-valued query strings, read the way the store reads a ref (one rule for every edge). */
export function parseRef(value: string, field = 'ref'): VersionRef {
  return parseVersionRef(value, field);
}

function paramsSchema(names: string[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const n of names) {
    const s = paramSchemas[n];
    if (!s) throw new Error(`no schema for path parameter :${n}`);
    properties[n] = s;
  }
  return { type: 'object', properties, required: names };
}

const NO_BODY: JsonSchema = { type: 'object', additionalProperties: false, properties: {} };

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** Mounts every route on `router` with authorization and validation in front of its handler. */
export function mountRoutes(router: Router, routes: ReadonlyArray<RouteDef<unknown, unknown>>, store: EmbeddedStore): void {
  for (const route of routes) {
    const names = pathParams(route.path);
    const pSchema = paramsSchema(names);
    const qSchema = route.query ?? querySchemas.none;
    const bSchema = route.body ?? NO_BODY;
    router[route.method](route.path, async (req: Request, res: Response) => {
      const rawParams = req.params as Record<string, string>;
      // Authorize before validating: an unauthenticated or out-of-scope caller learns nothing
      // from our validation messages.
      const principal = authorize(res, route.access, rawParams.site);
      const params = validate<Record<string, string>>(pSchema, rawParams, 'path');
      const query = validate<unknown>(qSchema, req.query, 'query');
      let rawBody: unknown = req.body;
      if (rawBody === undefined) {
        if (hasBody(req) && route.method !== 'get') {
          // express.json() skipped it: not JSON.
          throw new ValidationError(
            'request body must be JSON (Content-Type: application/json)',
            { contentType: req.headers['content-type'] ?? null },
          );
        }
        rawBody = {};
      }
      const body = validate<unknown>(bSchema, rawBody, 'body');
      // Writes name the calling key in their events (the audit trail).
      const run = () => route.handle({ store, principal, params, body, query, req, res });
      const result = principal ? await store.runAs({ keyId: principal.keyId, ...(principal.name ? { name: principal.name } : {}) }, run) : await run();
      // A handler that answered itself (an HTML page, a 503) is done.
      if (res.headersSent) return;
      if (route.status === 204) {
        res.status(204).end();
        return;
      }
      res.status(route.status).json(result);
    });
  }
}
