/**
 * Records and interfaces of verso's public surface (see shared CONTRACT.md: names are fixed).
 * Branded ids are parsed once at the edge (lib/ids.ts) so that inner code never re-validates.
 */

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A Git object id: 40 lowercase hex characters. */
export type Oid = Brand<string, 'Oid'>;
/** A strict slug naming a site. */
export type SiteId = Brand<string, 'SiteId'>;
/** A strict slug naming a branch. */
export type BranchName = Brand<string, 'BranchName'>;
/** A ULID. */
export type VersionId = Brand<string, 'VersionId'>;

export type Role = 'admin' | 'editor' | 'viewer' | 'integration';
export type Format = 'json' | 'markdown' | 'text';
export type VersionKind = 'draft' | 'autosave' | 'rollback' | 'merge';
export type VersionSource = 'user' | 'ai_generation' | 'ai_edit' | 'git' | 'integration';

export type Author = { name: string; email?: string };

/** A version number | commit hash (7+ hex) | 'draft' | 'published' | a branch name (its head). */
export type VersionRef = number | string;

export interface Site {
  id: string;
  name: string;
  defaultLocale: string;
  locales: string[];
  domains: string[];
  createdAt: string;
  /** What a merge does with a field both branches changed (default for every document type). */
  conflictPolicy: ConflictPolicy;
  /** Per document type overrides of conflictPolicy. */
  typePolicies: Record<string, ConflictPolicy>;
}

/** `manual`: a conflict stops the merge until it is resolved; `lww`: the newer side's change wins. */
export type ConflictPolicy = 'manual' | 'lww';

export interface UpdateSiteInput {
  name?: string;
  locales?: string[];
  domains?: string[];
  conflictPolicy?: ConflictPolicy;
  typePolicies?: Record<string, ConflictPolicy>;
}

export interface Version {
  id: string;
  site: string;
  type: string;
  key: string;
  locale: string;
  number: number;
  commit: string;
  blob: string;
  branch: string;
  kind: string;
  source: string;
  author: Author;
  message: string;
  createdAt: string;
  isCurrentDraft: boolean;
  isCurrentPublished: boolean;
  metadata: object;
}

export interface Page<T> {
  items: T[];
  next?: string;
}

export interface DocSummary {
  site: string;
  type: string;
  key: string;
  locale: string;
  format: Format;
  archived: boolean;
  latestVersion: number;
  draftVersion?: number;
  publishedVersion?: number;
  updatedAt: string;
}

export interface Branch {
  name: string;
  head: string;
  createdAt: string;
}

export interface MergeResult {
  branch: string;
  /** The merge commit; absent when dryRun, or the target when there was nothing to merge. */
  commit?: string;
  fastForward: boolean;
  dryRun: boolean;
  /** One per document merged (kind 'merge'); none when dryRun. */
  versions: Version[];
  /** Unresolved conflicts; non-empty only with dryRun (otherwise the merge throws). */
  conflicts: MergeConflict[];
  /** Every document the merge touches, how, and (dryRun only) its would-be content. */
  documents: MergeDocument[];
}

export interface MergeConflict {
  /** 'type/key/locale' */
  doc: string;
  /** JSON Pointer (json), '#<heading>' (markdown section), 'lines a-b' (text), '' (whole document). */
  path: string;
  base?: unknown;
  /** The `into` side. */
  ours?: unknown;
  /** The `source` side. */
  theirs?: unknown;
}

export interface MergeResolution {
  doc: string;
  path: string;
  take?: 'ours' | 'theirs' | 'base';
  value?: unknown;
}

export interface MergeOptions {
  into?: string;
  message?: string;
  author?: Author;
  /** Default: the site's typePolicies[type] ?? conflictPolicy ?? 'manual'. */
  policy?: ConflictPolicy;
  resolutions?: MergeResolution[];
  dryRun?: boolean;
}

export interface MergeDocument {
  doc: string;
  format: Format;
  /** theirs: changed on the source only; merged: changed on both sides; archived: removed on the source. */
  status: 'theirs' | 'merged' | 'archived';
  policy: ConflictPolicy;
  /** Conflicts found in this document before resolutions and policy settled them. */
  conflicts: number;
  /** dryRun only: the content the document would have after the merge. */
  content?: unknown;
}

export interface ChangeEvent {
  id: string;
  site: string;
  type: string;
  key?: string;
  locale?: string;
  action: string;
  versionNumber?: number;
  commit?: string;
  hlc: string;
  nodeId: string;
  createdAt: string;
  data: object;
  /** Who did it: the API key (id and name) for gateway calls, the author for SDK and git writes. */
  actor?: { keyId?: string; name?: string };
  /** What a flag move or an update changed, before and after. */
  oldValues?: object;
  newValues?: object;
}

export interface Comment {
  id: string;
  versionNumber: number;
  body: string;
  author: Author;
  type: 'comment' | 'suggestion' | 'approval' | 'change_request';
  parentId?: string;
  anchor?: { startLine: number; endLine: number };
  createdAt: string;
  resolved: boolean;
  resolvedAt?: string;
  resolvedBy?: Author;
  /** The anchored lines (or, unanchored, the whole content) differ in the version asked about. */
  stale: boolean;
}

export interface Tag {
  name: string;
  ref: string;
  commit: string;
  versionNumber: number;
  message: string;
  /** Who tagged it (the caller). */
  tagger?: Author;
  createdAt?: string;
}

// ---- review (0.2): labels and preview links

export interface Label {
  name: string;
  versionNumber: number;
  commit: string;
  movedAt: string;
  movedBy: Author;
}

export interface LabelMove {
  name: string;
  /** Absent when the label was created by this move. */
  from?: number;
  /** Absent when the label was removed by this move. */
  to?: number;
  at: string;
  by: Author;
  message: string;
}

export interface PreviewInfo {
  id: string;
  /** The pinned version; absent when the link follows the current draft. */
  versionNumber?: number;
  follows?: 'draft';
  domain?: string;
  expiresAt: string;
  maxUses?: number;
  uses: number;
  revoked: boolean;
  createdAt: string;
}

export interface PreviewOptions {
  expiresIn?: number;
  maxUses?: number;
  domain?: string;
}

export interface PreviewLink {
  id: string;
  token: string;
  url: string;
  expiresAt: string;
}

/** The review methods of a DocHandle (0.2). */
export interface DocReview {
  comments(ref: VersionRef, opts?: { all?: boolean }): Promise<Comment[]>;
  resolveComment(id: string, opts?: { resolved?: boolean; author?: Author | string }): Promise<Comment>;
  deleteComment(id: string): Promise<void>;
  tags(): Promise<Tag[]>;
  label(name: string, ref: VersionRef, opts?: { message?: string; author?: Author | string }): Promise<Label>;
  labels(): Promise<Label[]>;
  labelHistory(name: string): Promise<LabelMove[]>;
  removeLabel(name: string, opts?: { author?: Author | string }): Promise<void>;
  previews(): Promise<PreviewInfo[]>;
  revokePreview(id: string): Promise<void>;
}

export interface PreviewView {
  site: string;
  type: string;
  key: string;
  locale: string;
  version: Version;
  content: unknown;
}

export interface DiffHunkLine {
  op: 'equal' | 'add' | 'remove';
  text: string;
}

export interface FieldChange {
  path: string;
  op: 'add' | 'remove' | 'change';
  before?: unknown;
  after?: unknown;
}

export interface Diff {
  from: { number: number; commit: string };
  to: { number: number; commit: string };
  format: 'unified' | 'json' | 'words';
  /** Unified diff text for 'unified'. */
  unified?: string;
  /** Word-level parts for 'words'. */
  words?: Array<{ op: 'equal' | 'add' | 'remove'; text: string }>;
  /** Field changes for 'json'. */
  fields?: FieldChange[];
  stats: { additions: number; deletions: number };
  /**
   * True when the two versions differ in more lines than the diff's edit budget (2,000): the
   * answer then replaces every line (still a correct patch, not a minimal one).
   */
  coarse?: boolean;
}

export interface SaveInput {
  content: unknown;
  format?: Format;
  message?: string;
  author?: Author | string;
  kind?: 'draft' | 'autosave';
  source?: 'user' | 'ai_generation' | 'ai_edit';
  branch?: string;
  baseVersion?: VersionRef;
  metadata?: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface LogOptions {
  branch?: string;
  kind?: string;
  limit?: number;
  cursor?: string;
}

export interface DocsFilter {
  type?: string;
  locale?: string;
  state?: 'draft' | 'published';
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface RollbackOptions {
  message?: string;
  author?: Author | string;
  publish?: boolean;
}

export interface CommentInput {
  body: string;
  author: Author | string;
  type?: 'comment' | 'suggestion' | 'approval' | 'change_request';
  parentId?: string;
  anchor?: { startLine: number; endLine: number };
}

export interface DocHandle extends DocReview {
  save(input: SaveInput): Promise<Version>;
  log(opts?: LogOptions): Promise<Page<Version>>;
  show(ref: VersionRef): Promise<Version & { content: unknown }>;
  /** `signal` cancels the work (embedded: the diff worker stops; remote: the request). */
  diff(from: VersionRef, to: VersionRef, opts?: { format?: 'unified' | 'json' | 'words'; signal?: AbortSignal }): Promise<Diff>;
  publish(ref?: VersionRef): Promise<Version>;
  unpublish(): Promise<void>;
  rollback(to: VersionRef, opts?: RollbackOptions): Promise<Version>;
  archive(): Promise<void>;
  comment(ref: VersionRef, input: CommentInput): Promise<Comment>;
  preview(ref: VersionRef, opts?: PreviewOptions): Promise<PreviewLink>;
  tag(ref: VersionRef, name: string, opts?: { message?: string; author?: Author | string }): Promise<Tag>;
}

export interface SiteHandle {
  doc(type: string, key: string, locale?: string): DocHandle;
  docs(filter?: DocsFilter): Promise<Page<DocSummary>>;
  branches(): Promise<Branch[]>;
  createBranch(name: string, opts?: { from?: string }): Promise<Branch>;
  deleteBranch(name: string): Promise<void>;
  /**
   * Three-way merge of `source` into `opts.into` (default main) in one merge commit: per JSON
   * field, markdown section (then line) and text line. Conflicts are settled by `resolutions`,
   * else by the policy (default: the site's typePolicies[type] ?? conflictPolicy ?? 'manual').
   * @throws ConflictError with `data.conflicts: MergeConflict[]` when a conflict stays unresolved
   *   under policy manual (nothing is written); ValidationError for bad options or a resolution
   *   that matches no conflict; NotFoundError for an unknown branch.
   * @example
   *   const plan = await site.merge('q3-pricing', { dryRun: true });
   *   await site.merge('q3-pricing', { resolutions: [{ doc: 'page/pricing/en', path: '/plans/1/price', take: 'theirs' }] });
   */
  merge(source: string, opts?: MergeOptions): Promise<MergeResult>;
  /**
   * Sets the site's name, locales, domains (first = primary) and merge conflict policies; each
   * list given replaces the old one.
   * @throws ValidationError for bad input or dropping the default locale; ConflictError when a
   *   removed locale still has documents.
   * @example
   *   await site.update({ conflictPolicy: 'manual', typePolicies: { prompt: 'lww' } });
   */
  update(input: UpdateSiteInput): Promise<Site>;
  events(opts?: { after?: string; limit?: number }): Promise<Page<ChangeEvent>>;
  /** `host`: the host the link was opened on; a link bound to a domain opens only there. */
  resolvePreview(token: string, opts?: { host?: string }): Promise<PreviewView>;
  // Webhooks and search (0.2)
  createWebhook(input: CreateWebhookInput): Promise<Webhook & { secret: string }>;
  webhooks(): Promise<Webhook[]>;
  /**
   * Changes a webhook's url or events, or re-enables it (`disabled: false`) after a run of failed
   * deliveries disabled it; `disabled: true` stops it by hand. Events that happened while it was
   * disabled are not delivered; its failed deliveries can be sent again with `redeliver`.
   * @throws NotFoundError when the webhook does not exist; ValidationError for a bad field.
   * @example
   *   await site.updateWebhook(hook.id, { disabled: false });
   */
  updateWebhook(id: string, input: UpdateWebhookInput): Promise<Webhook>;
  deleteWebhook(id: string): Promise<void>;
  deliveries(webhookId: string, opts?: { limit?: number; cursor?: string }): Promise<Page<Delivery>>;
  redeliver(deliveryId: string): Promise<Delivery>;
  search(q: string, opts?: SearchOptions): Promise<Page<SearchHit>>;
}

export interface CreateWebhookInput {
  url: string;
  /** Actions to deliver; default every action. */
  events?: string[];
  /** Default: a generated one. Shown once, as whsec_<base64>. */
  secret?: string;
}

export interface UpdateWebhookInput {
  url?: string;
  events?: string[];
  /** false: re-enable (the run of failures starts again); true: stop delivering. */
  disabled?: boolean;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
  /** Set after a run of failed deliveries; a disabled webhook gets no new deliveries. */
  disabled: boolean;
}

export interface DeliveryAttempt {
  at: string;
  status?: number;
  /** The first 2000 characters of the answer. */
  body?: string;
  error?: string;
  durationMs: number;
}

export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  action: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus?: number;
  nextAttemptAt?: string;
  deliveredAt?: string;
  /** Every attempt, oldest first. */
  history: DeliveryAttempt[];
}

export interface SearchOptions {
  type?: string;
  locale?: string;
  state?: 'draft' | 'published';
  history?: boolean;
  limit?: number;
  cursor?: string;
}

export interface SearchHit {
  doc: DocSummary;
  versionNumber: number;
  /** Matches in <mark>…</mark>; everything else HTML-escaped. */
  snippet: string;
  rank: number;
}

export interface CreateSiteInput {
  id: string;
  name: string;
  defaultLocale?: string;
  locales?: string[];
  domains?: string[];
}

export interface ApiKeyInfo {
  id: string;
  role: string;
  site?: string;
  name?: string;
  createdAt: string;
  lastUsedAt?: string;
}

export interface Store {
  createSite(input: CreateSiteInput): Promise<Site>;
  getSite(id: string): Promise<Site>;
  listSites(): Promise<Site[]>;
  site(id: string): SiteHandle;
  createKey(input: { role: Role; site?: string; name?: string }): Promise<{ id: string; key: string; role: string; site?: string }>;
  listKeys(): Promise<ApiKeyInfo[]>;
  revokeKey(id: string): Promise<void>;
  close(): Promise<void>;
}

// The operator's side (EmbeddedStore, maintenance reports) lives in its own file.
export type * from './operatorTypes.js';

// ---------------------------------------------------------------- integrations (0.2)
// Declared as separate blocks of the same interfaces (TypeScript merges them) so that this
// feature's methods stay together.

export interface CreateIntegrationInput {
  name: string;
  kind: 'github' | 'git';
  /** github: 'owner/name' */
  repository?: string;
  /** github: API base (GitHub Enterprise Server); default https://api.github.com */
  baseUrl?: string;
  /** git: http(s) URL of any Git remote (smart HTTP) */
  url?: string;
  /** Target branch; default the remote's default branch. */
  branch?: string;
  /** Default '{type}/{key}/{locale}.{ext}', e.g. 'docs/prd/{key}.md'. */
  pathTemplate?: string;
  /** github: push to 'verso/<type>/<key>/<locale>' and open or update one PR into branch. */
  pullRequests?: boolean;
  username?: string;
  /** Stored encrypted (AES-256-GCM), never returned. */
  token?: string;
  /** github: the secret of the repository's webhook (`POST /v1/integrations/github/webhook`); stored encrypted. */
  webhookSecret?: string;
}

export interface Integration {
  name: string;
  kind: 'github' | 'git';
  repository?: string;
  url?: string;
  baseUrl?: string;
  branch?: string;
  pathTemplate: string;
  pullRequests: boolean;
  hasToken: boolean;
  hasWebhookSecret: boolean;
  createdAt: string;
}

export type MappingStatus = 'in_sync' | 'local_ahead' | 'remote_changed' | 'diverged' | 'missing';

export interface Mapping {
  integration: string;
  /** 'type/key/locale' */
  doc: string;
  path: string;
  /** The branch of the remote the file lives on (the PR branch in pull-request mode). */
  branch: string;
  versionNumber: number;
  localCommit: string;
  blob: string;
  remoteCommit: string;
  remoteBlob: string;
  pushedAt: string;
  pullRequest?: { number: number; url: string };
  status: MappingStatus;
}

export interface PushOptions {
  /** Default 'published', else 'draft'. */
  ref?: VersionRef;
  message?: string;
  author?: Author | string;
  force?: boolean;
}

export interface PullOptions {
  message?: string;
  author?: Author | string;
}

export interface CheckIntegrationOptions {
  /** Called as each remote branch has been read (embedded); once at the end (remote). */
  onProgress?: (p: { done: number; total: number }) => void;
}

export interface DocHandle {
  push(integration: string, opts?: PushOptions): Promise<Mapping>;
  pull(integration: string, opts?: PullOptions): Promise<Version>;
  mappings(): Promise<Mapping[]>;
}

export interface SiteHandle {
  createIntegration(input: CreateIntegrationInput): Promise<Integration>;
  integrations(): Promise<Integration[]>;
  deleteIntegration(name: string): Promise<void>;
  checkIntegration(name: string, opts?: CheckIntegrationOptions): Promise<Mapping[]>;
}

/** Rotating credentials: a new token, webhook secret or user name (other settings are fixed). */
export interface UpdateIntegrationInput {
  username?: string;
  token?: string;
  webhookSecret?: string;
}

export interface SiteHandle {
  updateIntegration(name: string, input: UpdateIntegrationInput): Promise<Integration>;
}
