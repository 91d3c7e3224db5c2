/**
 * The operator's side of the store: the in-process `EmbeddedStore` (what the gateway, CLI and
 * hooks need beyond the public `Store`) and the reports of its maintenance operations (fsck,
 * reindex, backup, verify, restore). Re-exported by lib/types.ts, so imports stay in one place.
 */
import type { PreviewView, Role, Store } from './types.js';
import type { RowsResult } from './diff/tasks.js';

/** Who an API key says the caller is. */
export interface Principal {
  keyId: string;
  role: Role;
  /** Site slug the key is scoped to; undefined: every site. */
  site?: string;
  /** The key's name, when it has one (named in the audit trail). */
  name?: string;
}

/**
 * The in-process store: the public `Store` plus what the gateway and CLI need to serve it.
 * `connect()` returns a plain `Store`; only an embedded store can check API keys.
 */
export interface EmbeddedStore extends Store {
  readonly dataDir: string;
  /** The PostgreSQL URL of the index; undefined when it is embedded PGlite under dataDir. Hooks record it. */
  readonly databaseUrl: string | undefined;
  /** A view of this store whose writes name `actor` in their events (the gateway: the calling key). */
  withActor(actor: { keyId?: string; name?: string }): EmbeddedStore;
  /** Runs `fn` with `actor` named by every event it writes (through this store or any wrapper of it). */
  runAs<T>(actor: { keyId?: string; name?: string }, fn: () => Promise<T>): Promise<T>;
  /** Starts delivering webhooks from the outbox (the gateway and `verso serve` do; one-shot CLI runs do not). */
  startWebhookDispatcher(opts?: { pollMs?: number }): { stop(): Promise<void> };
  /** Resolves a presented API key; undefined when unknown or revoked. Records last use. */
  authenticate(apiKey: string): Promise<Principal | undefined>;
  /** Resolves a preview token of any site (the token is the credential; GET /v1/preview/:token). */
  resolvePreview(token: string, opts?: { host?: string }): Promise<PreviewView>;
  /** Where the Git repository of a site lives (for git smart HTTP and hooks). */
  repoDir(site: string): string;
  /** Indexes commits Git has and the index lacks (after a push, a hook, or a crash). */
  reconcile(opts?: { site?: string; repair?: boolean; full?: boolean }): Promise<FsckReport>;
  /** Accepts an operator-chosen key (VERSO_ADMIN_KEY, or the local CLI key) as an admin key; idempotent. */
  ensureAdminKey(key: string, opts?: { name?: string }): Promise<void>;
  /** Rebuilds the history index of a site (or all sites) from Git trailers alone. */
  reindex(opts?: { site?: string; onProgress?: (done: number, total: number) => void }): Promise<ReindexReport>;
  /** Writes a backup directory (index dump + one git bundle per site + manifest.json) and catalogues it. */
  backup(opts?: BackupOptions): Promise<BackupReport>;
  /** Checks a backup directory against its manifest; records the result when the backup is catalogued here. */
  verifyBackup(opts?: VerifyBackupOptions): Promise<VerifyReport>;
  /**
   * Side-by-side rows of two contents for the compare page, computed in the diff workers with
   * the same line diff and budget as `diff` (`coarse` when the budget was exceeded).
   * @throws TooLargeError past the time budget (`details.reason: 'diff_budget'`).
   */
  diffRows(input: { a: unknown; b: unknown; view: 'fields' | 'lines'; signal?: AbortSignal }): Promise<RowsResult>;
  /**
   * Packs the loose objects of a site (or every site) now; also done automatically in the
   * background every 100 commits when git's gc.auto threshold (6,700 loose objects) is passed.
   * @throws NotFoundError for an unknown site.
   * @example const { sites } = await store.gc({ site: 'acme' }); // [{ site: 'acme', packed: 5003, loose: 0 }]
   */
  gc(opts?: { site?: string }): Promise<GcReport>;
  /** Loads a backup into this store, which must be empty (no rows, no repositories). */
  restore(opts: RestoreOptions): Promise<RestoreReport>;
}

export interface FsckIssue {
  site: string;
  kind: 'unindexed_commit' | 'missing_commit' | 'flag_drift' | 'stale_lock' | 'ref_missing' | 'quarantined_commit' | 'renumbered_version' | 'missing_event' | 'archive_drift' | 'published_at_drift';
  detail: string;
  repaired: boolean;
}

export interface FsckReport {
  ok: boolean;
  issues: FsckIssue[];
}

/** Per site: objects packed, and loose ones left (unreachable recent objects stay loose). */
export interface GcReport {
  sites: Array<{ site: string; packed: number; loose: number }>;
}

export interface ReindexReport {
  sites: string[];
  versions: number;
  documents: number;
}

/** Where a backup, verify or restore is: `done` of `total` in the phase's unit (rows, sites, files). */
export interface BackupProgress {
  phase: 'database' | 'repositories' | 'verify' | 'restore';
  /** The table, site or file being worked on. */
  item?: string;
  done: number;
  total: number;
}

export interface BackupOptions {
  /** The directory to create (it must not exist, or be empty). Default `./verso-backup-<UTC time>`. */
  out?: string;
  /** Back up one site: its rows and its repository only (no global keys, no backup catalogue). */
  site?: string;
  /** Who or what started the run, for the catalogue (default 'sdk'). */
  triggeredBy?: string;
  onProgress?: (p: BackupProgress) => void;
}

export interface BackupReport {
  /** The backup_sets id; also in manifest.json. */
  id: string;
  dir: string;
  site?: string;
  createdAt: string;
  finishedAt: string;
  database: { tables: number; rows: number; bytes: number };
  repositories: Array<{ site: string; refs: number; bytes: number; bundle?: string }>;
  files: number;
  bytes: number;
}

export interface VerifyBackupOptions {
  /** The backup directory; default the newest completed backup catalogued in this store. */
  dir?: string;
  /** Record the result in backup_verifications when the backup is catalogued here (default true). */
  record?: boolean;
  onProgress?: (p: BackupProgress) => void;
}

/** One problem found in a backup directory, named by the file (relative to the directory). */
export interface VerifyProblem {
  file: string;
  reason: string;
}

export interface VerifyReport {
  dir: string;
  ok: boolean;
  backupSetId?: string;
  createdAt?: string;
  files: number;
  rows: number;
  bundles: number;
  failures: VerifyProblem[];
  /** Not failures: files the manifest does not list. */
  warnings: VerifyProblem[];
  /** backup_verifications rows written (0 when the backup is not catalogued in this store). */
  recorded: number;
}

export interface RestoreOptions {
  /** A backup directory written by `backup`. */
  from: string;
  onProgress?: (p: BackupProgress) => void;
}

export interface RestoreReport {
  from: string;
  backupSetId: string;
  tables: number;
  rows: number;
  sites: string[];
  /**
   * What the post-restore check had to index: empty for a backup of a quiet store; commits that
   * reached Git after the index snapshot when the backup ran during writes.
   */
  repaired: FsckIssue[];
}

// Integrations: GitHub webhooks arrive without an API key (the signature is the credential).
export interface EmbeddedStore {
  /**
   * Verifies a GitHub webhook delivery against the webhook secret of every integration pushing
   * to its repository and, for a push, marks the mappings whose paths it touched.
   * @throws AuthError when no integration's secret verifies the signature.
   */
  receiveGithubWebhook(input: { event: string; signature: string; payload: string }): Promise<{ integrations: number; marked: number }>;
}
