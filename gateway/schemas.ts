/**
 * JSON Schemas (2020-12, the dialect of OpenAPI 3.1) shared by request validation and the
 * OpenAPI document: what the gateway checks is exactly what it publishes. Record schemas
 * describe answers; they allow extra properties so adding a field is not a breaking change,
 * while request schemas refuse unknown properties.
 */

import { ERROR_CODE_NAMES } from '../lib/errors/index.js';
import { bodyInputs, LOCALE_PATTERN, queryInputs, REF_PATTERN, SLUG_PATTERN, webhookInputs, type JsonSchema } from '../lib/schemas/inputs.js';

// The input schemas live in lib/schemas (the embedded store checks the same ones).
export { authorSchema, LOCALE_PATTERN, PATTERN_TEXT, REF_PATTERN, SLUG_PATTERN, versionRefSchema, type JsonSchema } from '../lib/schemas/inputs.js';

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
  // Any string: a token that is not one is refused by the store with the same error as the SDK's.
  token: { type: 'string', minLength: 1, maxLength: 256, description: 'Preview token.' },
  webhook: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'Webhook id.' },
  delivery: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'Webhook delivery id.' },
  comment: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'Comment id.' },
  preview: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$', description: 'Preview link id.' },
  label: slug('Label name (a slug), e.g. `production`.'),
};

// ---------------------------------------------------------------- request bodies and query strings

export const bodySchemas = bodyInputs;
export const querySchemas = queryInputs;

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
/** A JSON object with any members (a generated client types it as a string-keyed record, not `{}`). */
const anyObject = (description: string): JsonSchema => ({ type: 'object', additionalProperties: true, description });
const oneOfEnum = (values: readonly string[], description?: string): JsonSchema => ({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

// The values the index's CHECK constraints allow (migrations), so clients can switch on them.
export const VERSION_KINDS = ['draft', 'autosave', 'rollback', 'merge'] as const;
export const VERSION_SOURCES = ['user', 'ai_generation', 'ai_edit', 'git'] as const;
export const EVENT_ACTIONS = [
  'site.create', 'version.create', 'version.publish', 'version.unpublish', 'document.archive', 'branch.create', 'branch.delete',
  'branch.merge', 'comment.create', 'preview.create', 'tag.create', 'key.create', 'key.revoke', 'index.repair',
] as const;
export const ERROR_CODES = [
  'invalid_input', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'preview_expired', 'too_large', 'rate_limited',
  'ref_locked', 'unavailable', 'not_implemented', 'internal',
] as const;
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
            enum: [...ERROR_CODE_NAMES],
          },
          message: str,
          details: anyObject('What the failure is about, e.g. `{ "field": "content" }`; `{}` when nothing more is known.'),
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
      kind: oneOfEnum(VERSION_KINDS), source: oneOfEnum(VERSION_SOURCES), author: ref('Author'), message: str, createdAt: time,
      publishedAt: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'When it was last published (the time of its publish commit on the `published` branch); null when it never was. Unpublishing keeps it.',
      },
      isCurrentDraft: bool, isCurrentPublished: bool, metadata: anyObject('The metadata saved with the version.'),
    },
    ['id', 'site', 'type', 'key', 'locale', 'number', 'commit', 'blob', 'branch', 'kind', 'source', 'author', 'message', 'createdAt', 'publishedAt', 'isCurrentDraft', 'isCurrentPublished', 'metadata'],
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
      words: { type: 'array', items: open({ op: oneOfEnum(['equal', 'add', 'remove']), text: str }, ['op', 'text']) },
      fields: {
        type: 'array',
        items: open({ path: str, op: oneOfEnum(['add', 'remove', 'change']), before: { description: 'Any JSON value.' }, after: { description: 'Any JSON value.' } }, ['path', 'op']),
      },
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
    {
      id: str, site: str, type: str, key: str, locale: str, action: str, versionNumber: int, commit: str, hlc: str, nodeId: str, createdAt: time, data: { type: 'object' },
      actor: { ...open({ keyId: str, name: str }, []), description: 'Who did it: the API key for gateway calls, the author for SDK and git writes.' },
      oldValues: { type: 'object' }, newValues: { type: 'object' },
    },
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

// Webhooks and search (0.2): one schema per operation, in lib like the others.
export const webhookSchemas = webhookInputs;

Object.assign(recordSchemas, {
  Webhook: open({ id: str, url: str, events: { type: 'array', items: str }, createdAt: time, disabled: bool }, ['id', 'url', 'events', 'createdAt', 'disabled']),
  CreatedWebhook: {
    allOf: [ref('Webhook'), open({ secret: { type: 'string', description: 'The signing secret (whsec_…); shown once.' } }, ['secret'])],
  },
  Delivery: open(
    {
      id: str, webhookId: str, eventId: str, action: str, status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
      attempts: int, lastStatus: int, nextAttemptAt: time, deliveredAt: time,
      history: { type: 'array', items: open({ at: time, status: int, body: str, error: str, durationMs: int }, ['at', 'durationMs']) },
    },
    ['id', 'webhookId', 'eventId', 'action', 'status', 'attempts', 'history'],
  ),
  SearchHit: open(
    { doc: ref('DocSummary'), versionNumber: int, snippet: { type: 'string', description: 'Matches in <mark>; the rest HTML-escaped.' }, rank: { type: 'number' } },
    ['doc', 'versionNumber', 'snippet', 'rank'],
  ),
});
// ---------------------------------------------------------------- integrations (0.2)
recordSchemas.Integration = open(
  {
    name: str, kind: { type: 'string', enum: ['github', 'git'] }, repository: str, url: str, baseUrl: str, branch: str,
    pathTemplate: str, pullRequests: bool, hasToken: bool, hasWebhookSecret: bool, createdAt: time,
  },
  ['name', 'kind', 'pathTemplate', 'pullRequests', 'hasToken', 'hasWebhookSecret', 'createdAt'],
);
recordSchemas.Mapping = open(
  {
    integration: str, doc: { type: 'string', description: "'type/key/locale'" }, path: str, branch: str, versionNumber: int,
    localCommit: str, blob: str, remoteCommit: str, remoteBlob: str, pushedAt: str,
    pullRequest: open({ number: int, url: str }, ['number', 'url']),
    status: { type: 'string', enum: ['in_sync', 'local_ahead', 'remote_changed', 'diverged', 'missing'] },
  },
  ['integration', 'doc', 'path', 'branch', 'versionNumber', 'localCommit', 'blob', 'remoteCommit', 'remoteBlob', 'pushedAt', 'status'],
);
