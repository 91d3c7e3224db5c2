/**
 * The OpenAPI 3.1 document of the gateway, generated from the route declarations and the
 * schemas request validation uses (gateway/schemas.ts), so it is the contract by construction.
 */
import type { Access } from './auth.js';
import type { RouteDef } from './route.js';
import { pathParams } from './route.js';
import { ERROR_CODES, ERROR_CODE_NAMES } from '../lib/errors/index.js';
import { surfacePaths, surfaceSecuritySchemes, surfaceTags } from './openapiSurfaces.js';
import { paramSchemas, querySchemas, recordSchemas, type JsonSchema } from './schemas.js';

export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  servers: Array<{ url: string }>;
  /** Every route needs a key unless its operation says `security: []`. */
  security: Array<Record<string, string[]>>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, OperationObject>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, JsonSchema>;
    headers: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
};

export type OperationObject = {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  'x-verso-access': Access;
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: JsonSchema; description?: string }>;
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, JsonSchema>;
};

const TAGS: Array<{ name: string; description: string }> = [
  { name: 'Sites', description: 'Sites: each is one Git repository and a set of locales.' },
  { name: 'Documents', description: 'Documents (`type/key/locale`): list, compare, publish, roll back, archive.' },
  { name: 'Versions', description: 'Saving and reading versions; every version is a Git commit.' },
  { name: 'Review', description: 'Comments on versions and preview links.' },
  { name: 'Branches', description: 'Site-wide branches and merges.' },
  { name: 'Events', description: 'The change feed.' },
  { name: 'Keys', description: 'API keys (admin keys with no site scope only).' },
  { name: 'Webhooks', description: 'Signed notifications of change events (Standard Webhooks), from an outbox.' },
  { name: 'Search', description: 'Full-text search over titles and bodies, stemmed per locale.' },
  { name: 'Operations', description: 'Health, readiness and this reference.' },
  { name: 'Integrations', description: 'Documents pushed to GitHub and other Git remotes, drift checks and pulls.' },
];

const ACCESS_TEXT: Record<Access, string> = {
  public: 'No API key.',
  authenticated: 'Any API key.',
  admin: 'An admin key with no site scope.',
  'site:read': 'Any key for the site (admin, editor, viewer, integration).',
  'site:write-docs': 'An admin, editor or integration key for the site.',
  'site:write': 'An admin or editor key for the site.',
  'site:admin': 'An admin key for the site (scoped to it or to no site).',
};

export const accessText = (access: Access): string => ACCESS_TEXT[access];

const header = (name: string): JsonSchema => ({ $ref: `#/components/headers/${name}` });

/** Headers every answer may carry, and Retry-After on the answers that ask to wait. */
const HEADERS: Record<string, JsonSchema> = {
  RequestId: {
    description: 'The request id: the one sent in `X-Request-Id`, else a new one; it is in the server log with the request.',
    schema: { type: 'string' },
  },
  RetryAfter: { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } },
};

const errorResponse = (description: string, retry = false): JsonSchema => ({
  description,
  headers: { 'X-Request-Id': header('RequestId'), ...(retry ? { 'Retry-After': header('RetryAfter') } : {}) },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

// One shared response per error code, from the one table (lib/errors/codes.ts).
const ERROR_RESPONSES: Record<string, JsonSchema> = Object.fromEntries(
  ERROR_CODE_NAMES.map((code) => {
    const row = ERROR_CODES[code];
    const response = errorResponse(`${code}: ${row.description}`);
    if (row.retryAfter) response.headers = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } } };
    return [row.response, response];
  }),
);
// /readyz is not an error of the store: it tells a load balancer to look elsewhere.
ERROR_RESPONSES.NotReady = errorResponse('Not ready: the store cannot answer (the database is unreachable); a load balancer should send traffic elsewhere.', true);


const toOpenApiPath = (path: string): string => path.replace(/:([A-Za-z_]\w*)/g, '{$1}');

function operation(route: RouteDef<unknown, unknown>): OperationObject {
  const parameters: NonNullable<OperationObject['parameters']> = pathParams(route.path).map((name) => {
    const { description, ...schema } = paramSchemas[name] ?? { type: 'string' };
    return { name, in: 'path', required: true, schema, ...(typeof description === 'string' ? { description } : {}) };
  });
  const query = route.query ?? querySchemas.none;
  const props = (query.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((query.required ?? []) as string[]);
  for (const [name, s] of Object.entries(props)) {
    const { description, ...schema } = s;
    parameters.push({ name, in: 'query', required: required.has(name), schema, ...(typeof description === 'string' ? { description } : {}) });
  }
  // The save route takes its idempotency key from this header too (gateway/routes/versions.ts).
  if (route.operationId === 'save') {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', minLength: 1, maxLength: 200 },
      description: 'Taken as `idempotencyKey` when the body has none: a retried save returns the first result.',
    });
  }
  parameters.push({ name: 'X-Request-Id', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'Your id for this request; echoed back and logged.' });
  const requestIdHeader = { 'X-Request-Id': header('RequestId') };
  const ok: JsonSchema =
    route.status === 204
      ? { description: 'Done; no content.', headers: requestIdHeader }
      : { description: 'Success.', headers: requestIdHeader, content: { [route.responseType ?? 'application/json']: { schema: route.response ?? {} } } };
  const responses: Record<string, JsonSchema> = { [String(route.status)]: ok };
  const errorRef = (name: string): JsonSchema => ({ $ref: `#/components/responses/${name}` });
  responses['400'] = errorRef('InvalidInput');
  if (route.access !== 'public') {
    responses['401'] = errorRef('Unauthorized');
    responses['403'] = errorRef('Forbidden');
  }
  // A public route whose credential is in the request itself (a GitHub delivery's signature).
  if (route.operationId === 'githubWebhook') responses['401'] = errorRef('Unauthorized');
  const bodyProps = (route.body?.properties ?? {}) as Record<string, JsonSchema>;
  // A site named in the path or the body may not exist (POST /v1/keys with `site`).
  if (route.path.includes(':') || 'site' in bodyProps) responses['404'] = errorRef('NotFound');
  if (route.method !== 'get') responses['409'] = errorRef('Conflict');
  if (route.operationId === 'resolvePreview') responses['410'] = errorRef('PreviewExpired');
  if (route.body) responses['413'] = errorRef('TooLarge');
  responses['429'] = errorRef('RateLimited');
  responses['500'] = errorRef('Internal');
  // Every route reads or writes the index: an unreachable database or a full disk is a 503.
  if (route.access !== 'public' || route.operationId === 'resolvePreview') responses['503'] = errorRef('Unavailable');
  if (route.operationId === 'readyz') responses['503'] = errorRef('NotReady');
  const op: OperationObject = {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    description: [route.description, `**Access:** ${ACCESS_TEXT[route.access]}`].filter(Boolean).join('\n\n'),
    'x-verso-access': route.access,
    responses,
  };
  if (route.access === 'public') op.security = [];
  if (parameters.length) op.parameters = parameters;
  // A body whose every field is optional may be left out (publish, unpublish).
  const bodyRequired = ((route.body?.required ?? []) as string[]).length > 0;
  if (route.body) op.requestBody = { required: bodyRequired, content: { 'application/json': { schema: route.body } } };
  return op;
}

/** Builds the document from the mounted routes. */
export function buildOpenApi(routes: ReadonlyArray<RouteDef<unknown, unknown>>, opts: { version?: string } = {}): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const p = toOpenApiPath(route.path);
    (paths[p] ??= {})[route.method] = operation(route);
  }
  Object.assign(paths, surfacePaths);
  // Only the error answers some operation uses (a linter flags the rest as dead).
  const used = new Set(JSON.stringify(paths).match(/#\/components\/responses\/\w+/g)?.map((r) => r.split('/').pop()!));
  const responses = Object.fromEntries(Object.entries(ERROR_RESPONSES).filter(([name]) => used.has(name)));
  return {
    openapi: '3.1.0',
    info: {
      title: 'verso HTTP gateway',
      version: opts.version ?? '1',
      description:
        'A content-addressed version store: every saved version is a Git commit, indexed in PostgreSQL. ' +
        'Send `Authorization: Bearer <api key>`. Errors answer `{ "error": { "code", "message", "details" } }`. ' +
        'Lists answer `{ "items": [...], "next"?: "<cursor>" }`; pass `next` back as `cursor`. ' +
        'Besides the JSON API the gateway serves Git smart HTTP under `/git` (tag Git) and the editors\' HTML pages under `/ui` (tag Editors).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    tags: [...TAGS, ...surfaceTags],
    paths,
    components: {
      schemas: recordSchemas,
      responses,
      headers: HEADERS,
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `verso keys create`.' }, ...surfaceSecuritySchemes },
    },
  };
}

