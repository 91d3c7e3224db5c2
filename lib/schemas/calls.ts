/**
 * The argument check of every SDK call, run first by the embedded store and by the remote
 * client (before any request), so a bad call fails with the same ValidationError — class,
 * code, message and details — either way. The gateway checks request bodies and query strings
 * against the same schemas (lib/schemas/inputs.ts) for callers that do not use the SDK.
 * Checks here are about the shape of the input; what needs the index (does the version
 * exist?) is the operation's.
 */
import { ValidationError } from '../errors/index.js';
import { isShortHash, parseBranch } from '../ids.js';
import type { VersionRef } from '../types.js';
import { checkInput } from './check.js';
import { bodyInputs, closed, queryInputs, REF_PATTERN, SLUG_PATTERN, ULID_PATTERN, valueInputs, webhookInputs } from './inputs.js';
import { integrationInputs, integrationNameSchema } from './integrationInputs.js';

const keyId = { type: 'string', pattern: ULID_PATTERN };
/** Comment, preview link, webhook and delivery ids are ULIDs, as API key ids are. */
const id = (value: unknown, label: string): string => checkInput(keyId, value, { label });
const labelName = (value: unknown): string => checkInput({ type: 'string', pattern: SLUG_PATTERN }, value, { label: 'name' });
const integrationName = (value: unknown, label = 'name'): string => checkInput(integrationNameSchema, value, { label });
const commentsOptions = closed({ all: { type: 'boolean' } });
const noOptions = closed({});

/**
 * A version reference as the SDK takes it: a positive version number (or its digits), a
 * commit hash (7+ hex), `draft`, `published` or a branch name.
 * @throws ValidationError naming `field`.
 */
export function parseVersionRef(value: unknown, field = 'ref'): VersionRef {
  // Six digits or fewer can only be a version number (a commit prefix has 7+ characters); a
  // longer run of digits may be either, and stays a string for resolveRef to try both.
  const digits = typeof value === 'string' && /^\d{1,6}$/.test(value);
  if (typeof value === 'number' || digits) {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) throw new ValidationError(`${field} must be a positive version number`, { field });
    return n;
  }
  if (typeof value !== 'string' || !value || value.length > 100) {
    throw new ValidationError(`${field} must be a version number, a commit hash, 'draft', 'published' or a branch`, { field });
  }
  if (value === 'draft' || value === 'published' || isShortHash(value)) return value;
  if (/^(?:tag|label):/.test(value)) {
    if (new RegExp(REF_PATTERN).test(value)) return value;
    throw new ValidationError(`${field} must be tag:<semver> or label:<name>, got ${JSON.stringify(value.slice(0, 80))}`, { field });
  }
  return parseBranch(value, field);
}

/** `opts` of a call: absent, or a plain object (spreading a string would invent fields). */
function options(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('options must be an object', { field: 'input', errors: [{ path: '', message: 'input must be object' }] });
  }
  return value as Record<string, unknown>;
}

export const checkCall = {
  createSite: (input: unknown) => checkInput(bodyInputs.createSite, input),
  createKey: (input: unknown) => checkInput(bodyInputs.createKey, input),
  revokeKey: (id: unknown) => checkInput(keyId, id, { label: 'id' }),
  save: (input: unknown) => checkInput(bodyInputs.save, input),
  log: (opts: unknown) => checkInput(queryInputs.log, options(opts)),
  show: (ref: unknown) => parseVersionRef(ref),
  diff: (from: unknown, to: unknown, opts: unknown): [VersionRef, VersionRef] => {
    const refs: [VersionRef, VersionRef] = [parseVersionRef(from, 'from'), parseVersionRef(to, 'to')];
    // `signal` cancels the call; it is not data, so it is checked here, not by the schema.
    const { signal, ...data } = options(opts);
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new ValidationError('signal must be an AbortSignal', { field: 'signal', errors: [{ path: 'signal', message: 'signal must be an AbortSignal' }] });
    }
    checkInput(queryInputs.diffOptions, data);
    return refs;
  },
  publish: (ref: unknown) => (ref === undefined ? undefined : parseVersionRef(ref)),
  rollback: (to: unknown, opts: unknown): VersionRef => {
    const ref = parseVersionRef(to, 'to');
    checkInput(bodyInputs.rollback, { ...options(opts), to });
    return ref;
  },
  comment: (ref: unknown, input: unknown): VersionRef => {
    const parsed = parseVersionRef(ref);
    checkInput(bodyInputs.comment, input);
    return parsed;
  },
  comments: (ref: unknown, opts?: unknown): VersionRef => {
    const parsed = parseVersionRef(ref);
    checkInput(commentsOptions, options(opts));
    return parsed;
  },
  preview: (ref: unknown, opts: unknown): VersionRef => {
    // 'draft' stays the live current draft (the link follows new saves).
    const parsed = parseVersionRef(ref);
    checkInput(bodyInputs.preview, options(opts));
    return parsed;
  },
  tag: (ref: unknown, name: unknown, opts: unknown): VersionRef => {
    const parsed = parseVersionRef(ref);
    checkInput(bodyInputs.tag, { ...options(opts), name });
    return parsed;
  },
  docs: (filter: unknown) => checkInput(queryInputs.docs, options(filter)),
  createBranch: (name: unknown, opts: unknown) => checkInput(bodyInputs.createBranch, { ...options(opts), name }),
  deleteBranch: (name: unknown) => parseBranch(name, 'name'),
  merge: (source: unknown, opts: unknown) => {
    parseBranch(source, 'source');
    checkInput(bodyInputs.merge, options(opts));
  },
  update: (input: unknown) => checkInput(bodyInputs.updateSite, input),
  events: (opts: unknown) => checkInput(queryInputs.events, options(opts)),
  resolvePreview: (token: unknown) => checkInput(valueInputs.previewToken, token, { label: 'token' }),

  // ---- review (0.2): the same body schemas the gateway's routes validate
  resolveComment: (commentId: unknown, opts: unknown) => {
    id(commentId, 'id');
    checkInput(bodyInputs.resolveComment, options(opts));
  },
  deleteComment: (commentId: unknown) => id(commentId, 'id'),
  label: (name: unknown, ref: unknown, opts: unknown): VersionRef => {
    labelName(name);
    const parsed = parseVersionRef(ref);
    checkInput(bodyInputs.label, { ...options(opts), ref });
    return parsed;
  },
  labelHistory: (name: unknown) => labelName(name),
  removeLabel: (name: unknown, opts: unknown) => {
    labelName(name);
    checkInput(bodyInputs.removeLabel, options(opts));
  },
  revokePreview: (previewId: unknown) => id(previewId, 'id'),

  // ---- webhooks and search (0.2)
  createWebhook: (input: unknown) => checkInput(webhookInputs.createWebhook, input),
  updateWebhook: (webhookId: unknown, input: unknown) => {
    id(webhookId, 'id');
    checkInput(webhookInputs.updateWebhook, input);
  },
  deleteWebhook: (webhookId: unknown) => id(webhookId, 'id'),
  deliveries: (webhookId: unknown, opts: unknown) => {
    id(webhookId, 'webhookId');
    checkInput(webhookInputs.deliveries, options(opts));
  },
  redeliver: (deliveryId: unknown) => id(deliveryId, 'deliveryId'),
  search: (q: unknown, opts: unknown) => checkInput(webhookInputs.search, { ...options(opts), q }),

  // ---- integrations (0.2)
  createIntegration: (input: unknown) => checkInput(integrationInputs.createIntegration, input),
  updateIntegration: (name: unknown, input: unknown) => {
    integrationName(name);
    checkInput(integrationInputs.updateIntegration, input);
  },
  deleteIntegration: (name: unknown) => integrationName(name),
  checkIntegration: (name: unknown, opts: unknown) => {
    integrationName(name);
    // `onProgress` reports on the call; it is not data, so it is checked here, not by a schema.
    const { onProgress, ...data } = options(opts);
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw new ValidationError('onProgress must be a function', { field: 'onProgress', errors: [{ path: 'onProgress', message: 'onProgress must be a function' }] });
    }
    checkInput(noOptions, data);
  },
  push: (integration: unknown, opts: unknown) => checkInput(integrationInputs.push, { ...options(opts), integration }),
  pull: (integration: unknown, opts: unknown) => checkInput(integrationInputs.pull, { ...options(opts), integration }),
};
