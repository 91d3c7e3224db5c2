/**
 * The Git object store of one site: the only layer that touches Git objects and refs.
 * Everything above it (lib/ops) speaks in these terms and never imports isomorphic-git.
 */
import type { Oid } from '../types.js';

export interface GitIdentity {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** Minutes, as isomorphic-git counts it (UTC+2 is -120). */
  timezoneOffset: number;
}

export interface CommitInfo {
  oid: Oid;
  tree: Oid;
  parents: Oid[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}

/** One change to a tree: put `blob` at `path`, or delete the path when blob is null. */
export interface TreeChange {
  path: string;
  blob: Oid | null;
}

export interface FileAtPath {
  path: string;
  blob: Oid;
}

export interface ChangedPath {
  path: string;
  /** undefined when the path did not exist before / does not exist after. */
  before?: Oid;
  after?: Oid;
}

/** A commit for `SiteRepo.writeCommit`. */
export interface WriteCommitArgs {
  parents: Oid[];
  /** Tree to start from; usually the first parent's tree. undefined = empty tree. */
  baseTree?: Oid;
  changes: TreeChange[];
  author: GitIdentity;
  committer?: GitIdentity;
  message: string;
}

/** One commit for `SiteRepo.commitOnRef`. */
export interface CommitOnRefArgs {
  /** A full ref name, e.g. `refs/heads/main`. */
  ref: string;
  changes: TreeChange[];
  author: GitIdentity;
  committer?: GitIdentity;
  message: string;
  /** Parents after the first (the first is the ref's head, or the commit queued before this one). */
  extraParents?: Oid[];
  /** Blob contents stored with the commit's trees, in the same durable write. */
  blobs?: Uint8Array[];
  /**
   * Called with the parent this commit is about to get (undefined: the ref does not exist); may
   * throw to refuse this commit alone. Runs inside the ref's queue: it must not wait for another
   * commit on the same ref.
   */
  check?: (parent: Oid | undefined) => Promise<void> | void;
  /** Runs after the objects are written and before the ref moves (the crash tests' hook). */
  beforeRefMove?: () => void;
  /**
   * Told the commit's id as soon as it is built, before its objects are written and fsynced, so
   * the caller can write what needs the id meanwhile. Not a promise that the commit lands: when
   * the ref moved under the batch, the commit is rebuilt (a new id) and this is called again.
   */
  onBuilt?: (commit: Oid) => void;
  /**
   * More commits chained after this one, in order, in the same batch: all of them land with it
   * or none does (saves of one document queued behind its lock: lib/ops/saveBatch.ts).
   * `onBuilt` is told the last one.
   */
  then?: Array<Pick<CommitOnRefArgs, 'changes' | 'author' | 'committer' | 'message' | 'blobs'>>;
}

export interface CommitOnRefResult {
  /** The last commit written (with `then`, the last of the chain). */
  commit: Oid;
  /** The first commit's first parent: the previous value of the ref. */
  parent: Oid | undefined;
  /** With `then`: every commit of the chain, in order. */
  chain?: Oid[];
}

/** An annotated tag object as stored. */
export interface TagInfo {
  oid: Oid;
  /** The tagged object (a commit for verso's tags). */
  object: Oid;
  type: string;
  tag: string;
  message: string;
  /** The tagger's name, when the tag has one. */
  tagger?: string;
}

export interface CasResult {
  ok: boolean;
  /** The value found when ok is false (undefined: the ref does not exist). */
  current?: Oid;
}

export interface SiteRepo {
  /** `<dataDir>/repos/<siteId>.git` */
  readonly dir: string;

  /** Creates the bare repository if missing (HEAD → main, core.filesRefLockTimeout set). Idempotent. */
  init(): Promise<void>;

  /**
   * Stores a blob as a loose object: temp file, fsync, rename (an existing copy is kept only if
   * it inflates to the same bytes). Its directory entry becomes durable at the next
   * writeCommit, writeTag or casRef.
   */
  writeBlob(content: Uint8Array): Promise<Oid>;
  /** Hash of what writeBlob would write, without writing. */
  hashBlob(content: Uint8Array): Oid;
  /** @throws NotFoundError when there is no blob with this id. */
  readBlob(oid: Oid): Promise<Uint8Array>;

  /**
   * Writes the trees for `parentTree` with `changes` applied, and a commit over them.
   * Only the trees on the changed paths are rewritten. Returns the commit id, durable on return.
   * Changes apply in order (a later change to a path wins; deleting a directory path removes
   * it whole; emptied directories disappear). The message is stored ending in one newline.
   * @throws ValidationError for a malformed path or identity, or a file/directory clash.
   */
  writeCommit(args: WriteCommitArgs): Promise<Oid>;

  /**
   * An annotated tag is peeled to its commit. `message` is as stored (ending in a newline).
   * @throws NotFoundError when there is no such commit.
   */
  /**
   * Writes a commit on top of `ref` and moves the ref by compare-and-swap, retrying on the new
   * head when another process moved it. Concurrent callers in this process are served in
   * batches: their commits are chained in arrival order, their objects fsynced together and
   * the ref moved once, so N writers pay for one ref update. Durable on return.
   */
  commitOnRef(args: CommitOnRefArgs): Promise<CommitOnRefResult>;

  readCommit(oid: Oid): Promise<CommitInfo>;
  /** Blob id at `path` in the tree of `commit`, or undefined. */
  readPath(commit: Oid, path: string): Promise<Oid | undefined>;
  /** Every file (recursively) in the tree of `commit`. */
  listFiles(commit: Oid): Promise<FileAtPath[]>;
  /** Files that differ between two commits' trees, in Git's path order (before undefined: everything is added). */
  changedPaths(before: Oid | undefined, after: Oid): Promise<ChangedPath[]>;
  /** Commits reachable from `from`, newest first (topological with date order), stopping at `stopAt` ids. */
  walk(from: Oid, opts?: { stopAt?: Oid[] }): AsyncIterable<CommitInfo>;
  /** Full id from a 7+ hex prefix among existing objects; undefined if none; throws if ambiguous. */
  expandOid(prefix: string): Promise<Oid | undefined>;
  /** A commit counts as its own ancestor, as with `git merge-base --is-ancestor`. */
  isAncestor(ancestor: Oid, descendant: Oid): Promise<boolean>;
  /** Best common ancestor of two commits, or undefined. */
  mergeBase(a: Oid, b: Oid): Promise<Oid | undefined>;

  /** Current value of a ref such as `refs/heads/main`, or undefined. */
  readRef(ref: string): Promise<Oid | undefined>;
  /** Every ref under `prefix` (e.g. `refs/heads/`) with its value. */
  listRefs(prefix: string): Promise<Array<{ ref: string; oid: Oid }>>;
  /**
   * Compare-and-swap with Git's lock-file protocol: create `<ref>.lock` exclusively (waiting up to
   * the lock timeout while another writer holds it), check the old value, write+fsync, rename.
   * `expected` undefined means "the ref must not exist"; `next` null deletes the ref (loose and
   * packed). `next` is not checked to exist: write it first.
   * @throws RefLockedError (code `ref_locked`) when the lock stays taken past the lock timeout.
   */
  casRef(ref: string, expected: Oid | undefined, next: Oid | null): Promise<CasResult>;

  /** An annotated tag object: what it points at and its message (as stored). */
  readTag(oid: Oid): Promise<TagInfo>;

  /** Annotated tag object; returns the tag object id (the caller moves the ref with casRef). */
  writeTag(args: { object: Oid; tag: string; tagger: GitIdentity; message: string }): Promise<Oid>;

  /** Packs loose objects (git's own pack format) to save disk. */
  pack(): Promise<{ packed: number; loose: number }>;
  /** Resolves when no automatic background packing (maintenance.ts) is running. */
  maintenanceIdle(): Promise<void>;

  /**
   * Removes `.lock` files under refs/ (and packed-refs.lock, HEAD.lock) older than `olderThanMs`;
   * returns their absolute paths for the log. Git lock files carry no pid, so age stands for
   * "the holder is gone": pick a value far above any real hold time (a minute, say).
   */
  clearStaleLocks(olderThanMs: number): Promise<string[]>;
}
