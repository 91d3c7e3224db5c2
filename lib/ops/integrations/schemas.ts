/**
 * The input schema of each integration operation, used twice: by the embedded operation (so an
 * SDK call is refused exactly as the gateway would refuse it) and by the route as its body
 * schema (so the OpenAPI file publishes what is checked).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { ValidationError } from '../../errors/index.js';

export type JsonSchema = { [keyword: string]: unknown };

const SLUG = '^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,62}$';
// A Git branch name as the mappings table accepts it.
const BRANCH = '^(?!.*(?:\\.\\.|//|/$|\\.lock$|\\.lock/))[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}$';
const SECRET = { type: 'string', minLength: 1, maxLength: 1000, pattern: '^[\\x21-\\x7e]+$' };
const author: JsonSchema = {
  oneOf: [
    { type: 'string', minLength: 1, maxLength: 200 },
    { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, email: { type: 'string', maxLength: 320 } } },
  ],
};
const message = { type: 'string', minLength: 1, maxLength: 20000 };

export const integrationNameSchema: JsonSchema = { type: 'string', pattern: SLUG, description: 'Integration name (a slug).' };

export const createIntegrationSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind'],
  properties: {
    name: integrationNameSchema,
    kind: { type: 'string', enum: ['github', 'git'] },
    repository: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$', description: "github: 'owner/name'." },
    baseUrl: { type: 'string', maxLength: 2048, description: 'github: API base URL (GitHub Enterprise Server: https://HOST/api/v3).' },
    url: { type: 'string', maxLength: 500, description: 'git: http(s) URL of the remote repository (smart HTTP).' },
    branch: { type: 'string', pattern: BRANCH, description: "Target branch; default the remote's default branch." },
    pathTemplate: { type: 'string', minLength: 1, maxLength: 500, description: "Placeholders {type} {key} {locale} {ext}; default '{type}/{key}/{locale}.{ext}'." },
    pullRequests: { type: 'boolean', description: "github: push to 'verso/<type>/<key>/<locale>' and open or update one pull request." },
    username: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^:\\s]+$' },
    token: { ...SECRET, description: 'Stored encrypted, never returned.' },
    webhookSecret: { ...SECRET, description: "github: the repository webhook's secret; stored encrypted, never returned." },
  },
};

export const pushSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['integration'],
  properties: {
    integration: integrationNameSchema,
    ref: { oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string', minLength: 1, maxLength: 100 }], description: "Version to push; default 'published', else 'draft'." },
    message: message,
    author,
    force: { type: 'boolean', description: 'Overwrite a remote file that changed since the last push or pull.' },
  },
};

export const pullSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['integration'],
  properties: { integration: integrationNameSchema, message, author },
};

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function describe(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'input';
  if (e.keyword === 'additionalProperties') return `unknown field ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)} in ${where}`;
  if (e.keyword === 'required') return `${(e.params as { missingProperty: string }).missingProperty} is required`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

/** Returns `value` typed as T, or throws ValidationError (invalid_input) naming every problem. */
export function checkInput<T>(schema: JsonSchema, value: unknown, what: string): T {
  let fn = compiled.get(schema);
  if (!fn) compiled.set(schema, (fn = ajv.compile(schema)));
  if (fn(value)) return value as T;
  const errors = (fn.errors ?? []).filter((e) => e.keyword !== 'oneOf').map(describe);
  throw new ValidationError(`${what}: ${errors[0] ?? 'invalid input'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, { errors });
}

export const updateIntegrationSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    username: (createIntegrationSchema.properties as Record<string, JsonSchema>).username!,
    token: (createIntegrationSchema.properties as Record<string, JsonSchema>).token!,
    webhookSecret: (createIntegrationSchema.properties as Record<string, JsonSchema>).webhookSecret!,
  },
};
