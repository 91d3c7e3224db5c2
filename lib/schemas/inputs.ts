/**
 * ONE input schema per SDK operation (JSON Schema 2020-12, the dialect of OpenAPI 3.1). The
 * embedded store checks every call against these before it does anything (lib/sdk/embedded),
 * the remote client checks the same calls before sending, and the gateway validates request
 * bodies and query strings against them (gateway/schemas.ts re-exports them for its routes and
 * the OpenAPI document). So one input gets one error class, code and details everywhere.
 * Unknown fields are refused (`additionalProperties: false`) in every input.
 *
 * Limits (documented in docs/api.md "Limits"): names 200 characters, messages (commit and
 * tag) 10,000, comment bodies 20,000, idempotency keys 200, preview links 30 days, JSON
 * nesting (content and metadata) 64 levels.
 */

export type JsonSchema = { [keyword: string]: unknown };

// The same shapes lib/ids.ts enforces; the store parses again, these make the 400 early and
// document the rule in the OpenAPI file.
export const SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,62}$';
export const LOCALE_PATTERN = '^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2}$';
export const ULID_PATTERN = '^[0-9A-HJKMNP-TV-Z]{26}$';
export const PREVIEW_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';
/** A path `:ref`: a slug (numbers, hashes, draft, published, branches), `tag:<semver>` or `label:<slug>`. */
export const REF_PATTERN = `^(?:${SLUG_PATTERN.slice(1, -1)}|tag:v?[0-9A-Za-z.+-]{1,100}|label:${SLUG_PATTERN.slice(1, -1)})$`;

/** What a pattern means, for error messages. */
export const PATTERN_TEXT: Record<string, string> = {
  [SLUG_PATTERN]: 'a slug (a-z, 0-9 and inner hyphens, 1-63 characters)',
  [LOCALE_PATTERN]: 'a locale such as en or pt-BR',
  [ULID_PATTERN]: 'an id (a ULID, 26 characters)',
  [PREVIEW_TOKEN_PATTERN]: 'a preview token (43 characters of base64url)',
  [REF_PATTERN]: 'a version number, commit hash, draft, published, branch, tag:<semver> or label:<name>',
};

export const LIMITS = Object.freeze({
  name: 200,
  message: 10_000,
  commentBody: 20_000,
  idempotencyKey: 200,
  email: 254,
  previewSeconds: 30 * 24 * 3600,
  /** Levels of nesting in content and metadata (an object or array in another is 2). */
  jsonDepth: 64,
});

const slug = (description: string): JsonSchema => ({ type: 'string', pattern: SLUG_PATTERN, description });
const message: JsonSchema = { type: 'string', maxLength: LIMITS.message };

export const authorSchema: JsonSchema = {
  oneOf: [
    { type: 'string', minLength: 1, maxLength: LIMITS.name },
    {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: LIMITS.name },
        email: { type: 'string', maxLength: LIMITS.email },
      },
    },
  ],
  description: 'An author: `{ name, email? }`, or a plain string taken as the name.',
};

export const versionRefSchema: JsonSchema = {
  oneOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', minLength: 1, maxLength: 100 },
  ],
  description: 'Version number, commit hash (7+ hex), `draft`, `published`, a branch name, `tag:<semver>` or `label:<name>`.',
};

// The store owns the maxima (500 for documents and history, 1000 for events) and refuses more.
const limit = (max: number, dflt: number): JsonSchema => ({ type: 'integer', minimum: 1, maximum: max, description: `Page size, 1-${max} (default ${dflt}).` });
const cursor: JsonSchema = {
  type: 'string',
  maxLength: 1000,
  description: 'The `next` value of the previous page.',
};
const role: JsonSchema = { type: 'string', enum: ['admin', 'editor', 'viewer', 'integration'] };

export const closed = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...(required.length ? { required } : {}),
});

// ---------------------------------------------------------------- inputs sent as a JSON body

const policySchema: JsonSchema = { type: 'string', enum: ['manual', 'lww'], description: '`manual`: a conflict stops the merge until resolved; `lww`: the side whose last change to the document is newer wins.' };
const mergeProperties: Record<string, JsonSchema> = {
  into: slug('Target branch; default `main`.'),
  message,
  author: authorSchema,
  policy: { ...policySchema, description: "Default: the site's `typePolicies[type]`, else its `conflictPolicy`." },
  resolutions: {
    type: 'array',
    maxItems: 1000,
    items: closed(
      {
        doc: { type: 'string', minLength: 1, maxLength: 300, description: '`type/key/locale`' },
        path: { type: 'string', maxLength: 2000, description: 'The conflict path as reported.' },
        take: { type: 'string', enum: ['ours', 'theirs', 'base'] },
        value: { description: 'The value to put there instead (a string for markdown and text).' },
      },
      ['doc', 'path'],
    ),
  },
  dryRun: { type: 'boolean', description: 'Answer the conflicts and would-be content; write nothing.' },
};

export const bodyInputs = {
  createSite: closed(
    {
      id: slug('Site id.'),
      name: { type: 'string', minLength: 1, maxLength: LIMITS.name },
      defaultLocale: { type: 'string', pattern: LOCALE_PATTERN },
      locales: { type: 'array', items: { type: 'string', pattern: LOCALE_PATTERN }, maxItems: 200 },
      domains: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 253 }, maxItems: 200 },
    },
    ['id', 'name'],
  ),
  createKey: closed(
    {
      role,
      site: slug('Scope the key to this site; omitted: every site.'),
      name: { type: 'string', minLength: 1, maxLength: LIMITS.name },
    },
    ['role'],
  ),
  save: closed(
    {
      content: { description: 'A JSON value, or a string for text/markdown.' },
      format: { type: 'string', enum: ['json', 'markdown', 'text'] },
      message,
      author: authorSchema,
      kind: { type: 'string', enum: ['draft', 'autosave'] },
      source: { type: 'string', enum: ['user', 'ai_generation', 'ai_edit'] },
      branch: slug('Branch to save on; default `main`.'),
      baseVersion: versionRefSchema,
      metadata: { type: 'object', additionalProperties: true, description: 'Free-form JSON (at most 64 KiB, nesting at most 64 levels).' },
      idempotencyKey: { type: 'string', minLength: 1, maxLength: LIMITS.idempotencyKey },
    },
    ['content'],
  ),
  publish: closed({ ref: versionRefSchema }),
  empty: closed({}),
  rollback: closed(
    {
      to: versionRefSchema,
      message,
      author: authorSchema,
      publish: { type: 'boolean' },
    },
    ['to'],
  ),
  comment: closed(
    {
      body: { type: 'string', minLength: 1, maxLength: LIMITS.commentBody },
      author: authorSchema,
      type: { type: 'string', enum: ['comment', 'suggestion', 'approval', 'change_request'] },
      parentId: { type: 'string', minLength: 1, maxLength: 64 },
      anchor: closed(
        { startLine: { type: 'integer', minimum: 1 }, endLine: { type: 'integer', minimum: 1 } },
        ['startLine', 'endLine'],
      ),
    },
    ['body', 'author'],
  ),
  preview: closed({
    expiresIn: { type: 'integer', minimum: 1, maximum: LIMITS.previewSeconds, description: 'Seconds until the link expires (default 3600).' },
    maxUses: { type: 'integer', minimum: 1, maximum: 1000000 },
    domain: { type: 'string', minLength: 1, maxLength: 253 },
  }),
  tag: closed(
    {
      name: { type: 'string', minLength: 1, maxLength: 100, description: 'A semantic version, e.g. `1.2.0`.' },
      message,
      author: authorSchema,
    },
    ['name'],
  ),
  // ---- review (0.2)
  resolveComment: closed({ resolved: { type: 'boolean', description: 'false reopens; default true.' }, author: authorSchema }),
  label: closed({ ref: versionRefSchema, message, author: authorSchema }, ['ref']),
  removeLabel: closed({ message, author: authorSchema }),
  createBranch: closed({ name: slug('Branch name.'), from: slug('Branch to start from; default `main`.') }, ['name']),
  merge: closed(mergeProperties),
  mergeSite: closed({ source: slug('Branch to merge from.'), ...mergeProperties }, ['source']),
  updateSite: closed({
    name: { type: 'string', minLength: 1, maxLength: LIMITS.name },
    locales: { type: 'array', items: { type: 'string', pattern: LOCALE_PATTERN }, minItems: 1, maxItems: 200, description: 'Every locale of the site; must keep the default locale and every locale a document uses.' },
    domains: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 253 }, maxItems: 200, description: 'Every domain; the first is the primary one. Preview links bound to a removed domain are deleted.' },
    conflictPolicy: policySchema,
    typePolicies: {
      type: 'object',
      propertyNames: { pattern: SLUG_PATTERN },
      additionalProperties: policySchema,
      maxProperties: 200,
      description: 'Per document type, the policy that overrides conflictPolicy. Replaces the whole map.',
    },
  }),
} satisfies Record<string, JsonSchema>;

// ---------------------------------------------------------------- inputs sent as a query string

export const queryInputs = {
  none: closed({}),
  docs: closed({
    type: slug('Only this document type.'),
    locale: { type: 'string', pattern: LOCALE_PATTERN },
    state: { type: 'string', enum: ['draft', 'published'] },
    q: { type: 'string', maxLength: 200, description: 'Search text.' },
    limit: limit(500, 50),
    cursor,
  }),
  log: closed({
    branch: slug('Only versions on this branch.'),
    kind: { type: 'string', enum: ['draft', 'autosave', 'rollback', 'merge'] },
    limit: limit(500, 50),
    cursor,
  }),
  /** The options of `diff(from, to, opts)`; the refs are parsed by parseVersionRef. */
  diffOptions: closed({ format: { type: 'string', enum: ['unified', 'json', 'words'] } }),
  diff: closed(
    {
      from: { type: 'string', minLength: 1, maxLength: 100, description: 'Version reference.' },
      to: { type: 'string', minLength: 1, maxLength: 100, description: 'Version reference.' },
      format: { type: 'string', enum: ['unified', 'json', 'words'] },
    },
    ['from', 'to'],
  ),
  events: closed({ after: { type: 'string', pattern: ULID_PATTERN, description: 'Event id.' }, limit: limit(1000, 100) }),
  preview: closed({ site: slug('Only resolve a token of this site.') }),
  comments: closed({ all: { type: 'string', enum: ['true', 'false'], description: '`true`: every version\'s comments, stale judged against this one.' } }),
} satisfies Record<string, JsonSchema>;

// ---------------------------------------------------------------- single values (path segments)

export const valueInputs = {
  previewToken: { type: 'string', pattern: PREVIEW_TOKEN_PATTERN },
} satisfies Record<string, JsonSchema>;

// ---------------------------------------------------------------- webhooks and search (0.2)

export const webhookInputs = {
  createWebhook: closed(
    {
      url: { type: 'string', minLength: 1, maxLength: 2048, description: 'http(s) receiver; loopback and private addresses are refused unless VERSO_ALLOW_PRIVATE_REMOTES=1.' },
      events: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', maxLength: 64 }, description: 'Actions to deliver (default every action: `*`).' },
      secret: { type: 'string', maxLength: 200, description: 'A Standard Webhooks secret (whsec_…); default a generated one.' },
    },
    ['url'],
  ),
  updateWebhook: closed({
    url: { type: 'string', minLength: 1, maxLength: 2048, description: 'A new receiver, checked as on create.' },
    events: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', maxLength: 64 }, description: 'The new list of actions to deliver (`*`: every action).' },
    disabled: { type: 'boolean', description: '`false` re-enables a webhook a run of failed deliveries disabled (its failure count starts again); `true` stops it.' },
  }),
  deliveries: closed({ limit: limit(500, 50), cursor }),
  search: closed(
    {
      q: { type: 'string', minLength: 1, maxLength: 500, description: 'Words, "a phrase", -excluded, or (web search syntax).' },
      type: { type: 'string', pattern: SLUG_PATTERN, description: 'Only this document type.' },
      locale: { type: 'string', pattern: LOCALE_PATTERN },
      state: { type: 'string', enum: ['draft', 'published'] },
      history: { type: 'boolean', description: 'Search every version, not only the current ones.' },
      limit: limit(100, 20),
      cursor,
    },
    ['q'],
  ),
} satisfies Record<string, JsonSchema>;
