/**
 * Writes one commit on top of a branch and moves the branch ref with compare-and-swap.
 * The loser of a race re-reads the head and rebuilds its commit on top (trees are cheap to
 * rewrite: only the changed paths), so no concurrent writer's commit is ever dropped.
 * Concurrent writers in this process share one ref update (SiteRepo.commitOnRef).
 */
import { ConflictError, NotFoundError } from '../errors/index.js';
import type { CommitOnRefArgs, CommitOnRefResult, GitIdentity, SiteRepo, TreeChange } from '../objects/index.js';
import type { Oid } from '../types.js';

export interface CommitToBranchArgs {
  repo: SiteRepo;
  branch: string;
  changes: TreeChange[];
  message: string;
  author: GitIdentity;
  /** Create the branch when it does not exist (main and published); otherwise NotFound. */
  create?: boolean;
  /** Called with the head before each attempt; may throw (e.g. a conflict check). */
  check?: (head: Oid | undefined) => Promise<void>;
  extraParents?: Oid[];
  /** Runs after the commit is written and before the ref moves (the crash tests' hook). */
  beforeRefMove?: () => void;
  /** Blob contents to store in the same durable write as the commit (one fsync round, not two). */
  blobs?: Uint8Array[];
  /** Told the commit id before its objects are fsynced (again if it is rebuilt); see CommitOnRefArgs. */
  onBuilt?: (commit: Oid) => void;
  /** More commits chained after this one in the same write; all land or none (CommitOnRefArgs.then). */
  then?: CommitOnRefArgs['then'];
}

export async function commitToBranch(a: CommitToBranchArgs): Promise<CommitOnRefResult> {
  const ref = `refs/heads/${a.branch}`;
  try {
    return await a.repo.commitOnRef({
      ref,
      changes: a.changes,
      message: a.message,
      author: a.author,
      extraParents: a.extraParents,
      blobs: a.blobs,
      beforeRefMove: a.beforeRefMove,
      onBuilt: a.onBuilt,
      then: a.then,
      check: async (head) => {
        if (!head && !a.create) throw new NotFoundError(`branch ${a.branch} does not exist`, { branch: a.branch });
        if (a.check) await a.check(head);
      },
    });
  } catch (err) {
    if (err instanceof ConflictError && err.data.ref === ref && typeof err.data.attempts === 'number') {
      throw new ConflictError(`branch ${a.branch} kept moving; gave up after ${err.data.attempts} attempts`, { branch: a.branch }, err);
    }
    throw err;
  }
}

/** A Git identity for a version author at `ms`. Empty email is valid in Git (`Name <>`). */
export function identity(author: { name: string; email?: string }, ms: number): GitIdentity {
  return { name: author.name, email: author.email ?? '', timestamp: Math.floor(ms / 1000), timezoneOffset: 0 };
}
