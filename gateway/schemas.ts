/**
 * JSON Schemas (2020-12, the dialect of OpenAPI 3.1) shared by request validation and the
 * OpenAPI document: what the gateway checks is exactly what it publishes. Record schemas
 * describe answers; they allow extra properties so adding a field is not a breaking change,
 * while request schemas refuse unknown properties.
 */

export type JsonSchema = { [keyword: string]: unknown };

// The same shapes lib/ids.ts enforces; the store parses again, these make the 400 early and
// document the rule in the OpenAPI file.
export const SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,62}$';
export const LOCALE_PATTERN = '^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2}$';

/** A path `:ref`: a slug (numbers, hashes, draft, published, branches), `tag:<semver>` or `label:<slug>`. */
export const REF_PATTERN = `^(?:${SLUG_PATTERN.slice(1, -1)}|tag:v?[0-9A-Za-z.+-]{1,100}|label:${SLUG_PATTERN.slice(1, -1)})$`;

/** What a pattern means, for error messages. */
export const PATTERN_TEXT: Record<string, string> = {
  [SLUG_PATTERN]: 'a slug (a-z, 0-9 and inner hyphens, 1-63 characters)',
  [LOCALE_PATTERN]: 'a locale such as en or pt-BR',
  [REF_PATTERN]: 'a version number, commit hash, draft, published, branch, tag:<semver> or label:<name>',
};

const slug = (description: string): JsonSchema => ({ type: 'string', pattern: SLUG_PATTERN, description });

export const paramSchemas: Record<string, JsonSchema> = {
  site: slug('Site id (a slug).'),
  type: slug('Document type (a slug), e.g. `page`, `prd`, `prompt`.'),
  key: slug('Document key (a slug).'),
  locale: { type: 'string', pattern: LOCALE_PATTERN, description: 'Locale, e.g. `en` or `pt-BR`.' },
  ref: {
    type: 'string',
    pattern: REF_PATTERN,
    description:
      'A version reference: a version number (digits), a commit hash (7+ hex), `draft`, `published`, a branch name (its head), `tag:<semver>` or `label:<name>`.',
  },
  name: slug('Branch name (a slug).'),
  id: { type: 'string', pattern: '^[0-9A-Za-z_-]{1,64}$', description: 'API key id.' },
  token: { type: 'string', pattern: '^[0-9A-Za-z_.~-]{1,256}$', description: 'Preview token.' },
  comment: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'Comment id.' },
  preview: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'Preview link id.' },
  label: slug('Label name (a slug), e.g. `production`.'),
};

export const authorSchema: JsonSchema = {
  oneOf: [
    { type: 'string', minLength: 1, maxLength: 200 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 200 },
        email: { type: 'string', maxLength: 320 },
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

const closed = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...(required.length ? { required } : {}),
});

// ---------------------------------------------------------------- request bodies

const policySchema: JsonSchema = { type: 'string', enum: ['manual', 'lww'], description: '`manual`: a conflict stops the merge until resolved; `lww`: the side whose last change to the document is newer wins.' };
const mergeProperties: Record<string, JsonSchema> = {
  into: slug('Target branch; default `main`.'),
  message: { type: 'string', maxLength: 10000 },
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

export const bodySchemas = {
  createSite: closed(
    {
      id: slug('Site id.'),
      name: { type: 'string', minLength: 1, maxLength: 200 },
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
      name: { type: 'string', minLength: 1, maxLength: 200 },
    },
    ['role'],
  ),
  save: closed(
    {
      content: { description: 'A JSON value, or a string for text/markdown.' },
      format: { type: 'string', enum: ['json', 'markdown', 'text'] },
      message: { type: 'string', maxLength: 10000 },
      author: authorSchema,
      kind: { type: 'string', enum: ['draft', 'autosave'] },
      source: { type: 'string', enum: ['user', 'ai_generation', 'ai_edit'] },
      branch: slug('Branch to save on; default `main`.'),
      baseVersion: versionRefSchema,
      metadata: { type: 'object' },
      idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
    },
    ['content'],
  ),
  publish: closed({ ref: versionRefSchema }),
  empty: closed({}),
  rollback: closed(
    {
      to: versionRefSchema,
      message: { type: 'string', maxLength: 10000 },
      author: authorSchema,
      publish: { type: 'boolean' },
    },
    ['to'],
  ),
  comment: closed(
    {
      body: { type: 'string', minLength: 1, maxLength: 20000, description: 'At most 20000 characters (what the index stores); no NUL.' },
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
    expiresIn: { type: 'integer', minimum: 1, description: 'Seconds until the link expires.' },
    maxUses: { type: 'integer', minimum: 1, maximum: 1000000 },
    domain: { type: 'string', minLength: 1, maxLength: 253 },
  }),
  tag: closed(
    {
      name: { type: 'string', minLength: 1, maxLength: 100, description: 'A semantic version, e.g. `1.2.0`.' },
      message: { type: 'string', maxLength: 10000 },
      author: authorSchema,
    },
    ['name'],
  ),
  // ---- review (0.2)
  resolveComment: closed({ resolved: { type: 'boolean', description: 'false reopens; default true.' }, author: authorSchema }),
  label: closed({ ref: versionRefSchema, message: { type: 'string', maxLength: 10000 }, author: authorSchema }, ['ref']),
  removeLabel: closed({ message: { type: 'string', maxLength: 10000 }, author: authorSchema }),
  createBranch: closed({ name: slug('Branch name.'), from: slug('Branch to start from; default `main`.') }, ['name']),
  merge: closed(mergeProperties),
  mergeSite: closed({ source: slug('Branch to merge from.'), ...mergeProperties }, ['source']),
  updateSite: closed({
    name: { type: 'string', minLength: 1, maxLength: 200 },
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

// ---------------------------------------------------------------- query strings

export const querySchemas = {
  none: closed({}),
  docs: closed({
    type: slug('Only this document type.'),
    locale: { type: 'string', pattern: LOCALE_PATTERN },
    state: { type: 'string', enum: ['draft', 'published'] },
    q: { type: 'string', maxLength: 200, description: 'Search text.' },
    limit: limit(500, 50),
    cursor,
  }),
  log: closed({ branch: slug('Only versions on this branch.'), kind: { type: 'string', maxLength: 40 }, limit: limit(500, 50), cursor }),
  diff: closed(
    {
      from: { type: 'string', minLength: 1, maxLength: 100, description: 'Version reference.' },
      to: { type: 'string', minLength: 1, maxLength: 100, description: 'Version reference.' },
      format: { type: 'string', enum: ['unified', 'json', 'words'] },
    },
    ['from', 'to'],
  ),
  events: closed({ after: { type: 'string', minLength: 1, maxLength: 200, description: 'Event id.' }, limit: limit(1000, 100) }),
  preview: closed({ site: slug('Only resolve a token of this site.') }),
  comments: closed({ all: { type: 'string', enum: ['true', 'false'], description: '`true`: every version\'s comments, stale judged against this one.' } }),
} satisfies Record<string, JsonSchema>;

// ---------------------------------------------------------------- records (answers)

const open = (properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({
  type: 'object',
  properties,
  required,
});
const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer' };
const bool: JsonSchema = { type: 'boolean' };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const pageOf = (name: string): JsonSchema =>
  open({ items: { type: 'array', items: ref(name) }, next: { type: 'string', description: 'Cursor of the next page; absent on the last.' } }, ['items']);
export const listOf = (name: string): JsonSchema => open({ items: { type: 'array', items: ref(name) } }, ['items']);

export const recordSchemas: Record<string, JsonSchema> = {
  Error: open(
    {
      error: open(
        {
          code: {
            type: 'string',
            enum: ['invalid_input', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'preview_expired', 'too_large', 'rate_limited', 'not_implemented', 'internal'],
          },
          message: str,
          details: { type: 'object' },
        },
        ['code', 'message', 'details'],
      ),
    },
    ['error'],
  ),
  Author: open({ name: str, email: str }, ['name']),
  Site: open(
    {
      id: str, name: str, defaultLocale: str, locales: { type: 'array', items: str }, domains: { type: 'array', items: str }, createdAt: time,
      conflictPolicy: { type: 'string', enum: ['manual', 'lww'] },
      typePolicies: { type: 'object', additionalProperties: { type: 'string', enum: ['manual', 'lww'] } },
    },
    ['id', 'name', 'defaultLocale', 'locales', 'domains', 'createdAt', 'conflictPolicy', 'typePolicies'],
  ),
  CreatedKey: open(
    { id: str, key: { type: 'string', description: 'The secret; shown once.' }, role: str, site: str },
    ['id', 'key', 'role'],
  ),
  ApiKey: open({ id: str, role: str, site: str, name: str, createdAt: time, lastUsedAt: time }, ['id', 'role', 'createdAt']),
  Version: open(
    {
      id: str, site: str, type: str, key: str, locale: str, number: int, commit: str, blob: str, branch: str,
      kind: str, source: str, author: ref('Author'), message: str, createdAt: time,
      isCurrentDraft: bool, isCurrentPublished: bool, metadata: { type: 'object' },
    },
    ['id', 'site', 'type', 'key', 'locale', 'number', 'commit', 'blob', 'branch', 'kind', 'source', 'author', 'message', 'createdAt', 'isCurrentDraft', 'isCurrentPublished', 'metadata'],
  ),
  VersionWithContent: {
    allOf: [ref('Version'), open({ content: { description: 'The document body.' } }, ['content'])],
  },
  DocSummary: open(
    {
      site: str, type: str, key: str, locale: str, format: { type: 'string', enum: ['json', 'markdown', 'text'] },
      archived: bool, latestVersion: int, draftVersion: int, publishedVersion: int, updatedAt: time,
    },
    ['site', 'type', 'key', 'locale', 'format', 'archived', 'latestVersion', 'updatedAt'],
  ),
  Diff: open(
    {
      from: open({ number: int, commit: str }, ['number', 'commit']),
      to: open({ number: int, commit: str }, ['number', 'commit']),
      format: { type: 'string', enum: ['unified', 'json', 'words'] },
      unified: str,
      words: { type: 'array', items: open({ op: str, text: str }, ['op', 'text']) },
      fields: { type: 'array', items: open({ path: str, op: str, before: {}, after: {} }, ['path', 'op']) },
      stats: open({ additions: int, deletions: int }, ['additions', 'deletions']),
      coarse: { type: 'boolean', description: 'Present and true when the versions differ in more lines than the edit budget (2,000): every old line is removed and every new line added (still a correct patch).' },
    },
    ['from', 'to', 'format', 'stats'],
  ),
  Branch: open({ name: str, head: str, createdAt: time }, ['name', 'head', 'createdAt']),
  MergeResult: open(
    {
      branch: str, commit: { type: 'string', description: 'The merge commit; absent on a dry run.' }, fastForward: bool, dryRun: bool,
      versions: { type: 'array', items: ref('Version') },
      conflicts: { type: 'array', items: ref('MergeConflict'), description: 'Unresolved conflicts; non-empty only on a dry run.' },
      documents: { type: 'array', items: ref('MergeDocument') },
    },
    ['branch', 'fastForward', 'dryRun', 'versions', 'conflicts', 'documents'],
  ),
  MergeConflict: open(
    {
      doc: { type: 'string', description: '`type/key/locale`' },
      path: { type: 'string', description: "A JSON Pointer (json), `#<heading>` (markdown section), `lines a-b` (text), or '' (the whole document)." },
      base: {}, ours: { description: 'The `into` side.' }, theirs: { description: 'The source side.' },
    },
    ['doc', 'path'],
  ),
  MergeDocument: open(
    {
      doc: str, format: { type: 'string', enum: ['json', 'markdown', 'text'] },
      status: { type: 'string', enum: ['theirs', 'merged', 'archived'] },
      policy: { type: 'string', enum: ['manual', 'lww'] }, conflicts: int,
      content: { description: 'Dry run only: the content after the merge.' },
    },
    ['doc', 'format', 'status', 'policy', 'conflicts'],
  ),
  ChangeEvent: open(
    { id: str, site: str, type: str, key: str, locale: str, action: str, versionNumber: int, commit: str, hlc: str, nodeId: str, createdAt: time, data: { type: 'object' } },
    ['id', 'site', 'type', 'action', 'hlc', 'nodeId', 'createdAt', 'data'],
  ),
  Comment: open(
    {
      id: str, versionNumber: int, body: str, author: ref('Author'),
      type: { type: 'string', enum: ['comment', 'suggestion', 'approval', 'change_request'] },
      parentId: str, anchor: open({ startLine: int, endLine: int }, ['startLine', 'endLine']), createdAt: time,
      resolved: bool, resolvedAt: time, resolvedBy: ref('Author'),
      stale: { type: 'boolean', description: 'The anchored lines (or, unanchored, the content) differ in the version asked about.' },
    },
    ['id', 'versionNumber', 'body', 'author', 'type', 'createdAt', 'resolved', 'stale'],
  ),
  Tag: open({ name: str, ref: str, commit: str, versionNumber: int, message: str, tagger: ref('Author'), createdAt: time }, ['name', 'ref', 'commit', 'versionNumber', 'message']),
  PreviewLink: open({ id: str, token: str, url: str, expiresAt: time }, ['id', 'token', 'url', 'expiresAt']),
  Label: open({ name: str, versionNumber: int, commit: str, movedAt: time, movedBy: ref('Author') }, ['name', 'versionNumber', 'commit', 'movedAt', 'movedBy']),
  LabelMove: open({ name: str, from: int, to: int, at: time, by: ref('Author'), message: str }, ['name', 'at', 'by', 'message']),
  PreviewInfo: open(
    { id: str, versionNumber: int, follows: { type: 'string', enum: ['draft'] }, domain: str, expiresAt: time, maxUses: int, uses: int, revoked: bool, createdAt: time },
    ['id', 'expiresAt', 'uses', 'revoked', 'createdAt'],
  ),
  PreviewView: open(
    { site: str, type: str, key: str, locale: str, version: ref('Version'), content: {} },
    ['site', 'type', 'key', 'locale', 'version', 'content'],
  ),
  Health: open({ status: str }, ['status']),
};
