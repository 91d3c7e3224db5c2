/**
 * The input schemas of the integration calls (0.2), beside the other calls' (inputs.ts): the
 * SDK checks them before a call (calls.ts), the operation checks them again, and the gateway
 * validates request bodies with them and publishes them in the OpenAPI file. One checker
 * (check.ts) for all three, so a bad input gets one answer embedded, remote and over HTTP.
 */
import { authorSchema, closed, LIMITS, SLUG_PATTERN, type JsonSchema } from './inputs.js';

// A Git branch name as the mappings table accepts it.
const BRANCH = '^(?!.*(?:\\.\\.|//|/$|\\.lock$|\\.lock/))[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}$';
const secret = (description: string): JsonSchema => ({ type: 'string', minLength: 1, maxLength: 1000, pattern: '^[\\x21-\\x7e]+$', description });
// A commit message on the remote: the limit of every commit message (LIMITS.message).
const message: JsonSchema = { type: 'string', minLength: 1, maxLength: LIMITS.message };
const username: JsonSchema = { type: 'string', minLength: 1, maxLength: LIMITS.name, pattern: '^[^:\\s]+$' };
const token = secret('Stored encrypted, never returned.');
const webhookSecret = secret("github: the repository webhook's secret; stored encrypted, never returned.");

export const integrationNameSchema: JsonSchema = { type: 'string', pattern: SLUG_PATTERN, description: 'Integration name (a slug).' };

export const integrationInputs = {
  createIntegration: closed(
    {
      name: integrationNameSchema,
      kind: { type: 'string', enum: ['github', 'git'] },
      repository: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$', description: "github: 'owner/name'." },
      baseUrl: { type: 'string', maxLength: 2048, description: 'github: API base URL (GitHub Enterprise Server: https://HOST/api/v3).' },
      url: { type: 'string', maxLength: 500, description: 'git: http(s) URL of the remote repository (smart HTTP).' },
      branch: { type: 'string', pattern: BRANCH, description: "Target branch; default the remote's default branch." },
      pathTemplate: { type: 'string', minLength: 1, maxLength: 500, description: "Placeholders {type} {key} {locale} {ext}; default '{type}/{key}/{locale}.{ext}'." },
      pullRequests: { type: 'boolean', description: "github: push to 'verso/<type>/<key>/<locale>' and open or update one pull request." },
      username,
      token,
      webhookSecret,
    },
    ['name', 'kind'],
  ),
  updateIntegration: { ...closed({ username, token, webhookSecret }), minProperties: 1 },
  push: closed(
    {
      integration: integrationNameSchema,
      ref: { oneOf: [{ type: 'integer', minimum: 1 }, { type: 'string', minLength: 1, maxLength: 100 }], description: "Version to push; default 'published', else 'draft'." },
      message,
      author: authorSchema,
      force: { type: 'boolean', description: 'Overwrite a remote file that changed since the last push or pull.' },
    },
    ['integration'],
  ),
  pull: closed({ integration: integrationNameSchema, message, author: authorSchema }, ['integration']),
} satisfies Record<string, JsonSchema>;
