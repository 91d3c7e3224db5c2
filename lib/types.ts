/**
 * Records and interfaces of verso's public surface (see shared CONTRACT.md: names are fixed).
 * Branded ids are parsed once at the edge (lib/ids.ts) so that inner code never re-validates.
 */

import type { ConflictPolicy, MergeOptions, MergeResult } from './types/merge.js';
import type { ChangeEvent, CreateWebhookInput, Delivery, UpdateWebhookInput, Webhook } from './types/events.js';
import type { CommentInput, Comment, DocReview, PreviewLink, PreviewOptions, PreviewView, Tag } from './types/review.js';
import type { SearchHit, SearchOptions } from './types/search.js';

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
  /** When it was saved: its commit's time. */
  createdAt: string;
  /**
   * When it was last published: the time of the newest commit on the `published` branch that
   * published it (so reindex derives it from Git); null when it never was. Unpublishing keeps it.
   */
  publishedAt: string | null;
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

// The operator's side (EmbeddedStore, maintenance reports) and the 0.2 records live in their
// own files; everything is re-exported here, so imports stay in one place.
export type * from './operatorTypes.js';
export type * from './types/merge.js';
export type * from './types/review.js';
export type * from './types/events.js';
export type * from './types/search.js';
export type * from './types/integrations.js';
