/**
 * Who last changed a file, as far as a shallow fetch lets us see: the newest commit on the
 * first-parent line from `head` whose first parent holds something else at `path` (or that has
 * no parent: it added the file), like `git log --first-parent -1 -- <path>`. A change merged in
 * from another line is credited to the merge. Undefined when the walk reaches the shallow
 * boundary (or `maxCommits`) with the file unchanged: the change is older than what we fetched.
 */
import { NotFoundError } from '../../errors/index.js';
import type { CommitInfo, SiteRepo } from '../../objects/index.js';
import type { Oid } from '../../types.js';

export interface LastChangeArgs {
  repo: SiteRepo;
  head: Oid;
  path: string;
  /** The blob at `path` in `head`. */
  blob: Oid;
  maxCommits: number;
}

export async function lastChange(a: LastChangeArgs): Promise<CommitInfo | undefined> {
  let c = await a.repo.readCommit(a.head);
  for (let seen = 1; seen <= a.maxCommits; seen++) {
    const parent = c.parents[0];
    if (!parent) return c;
    let p: CommitInfo;
    try {
      p = await a.repo.readCommit(parent);
    } catch (err) {
      // The shallow boundary: the parent was not fetched.
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
    if ((await a.repo.readPath(parent, a.path)) !== a.blob) return c;
    c = p;
  }
  return undefined;
}
