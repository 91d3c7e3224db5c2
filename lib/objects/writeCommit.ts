/** The write half of a save: trees on the changed paths plus the commit, all durable on return. */
import type { Oid } from '../types.js';
import type { RepoContext } from './context.js';
import { assertOid, frameObject, serializeCommit, type FramedObject } from './gitObject.js';
import { applyChanges } from './trees.js';
import type { WriteCommitArgs } from './types.js';
import { storeObject } from './writeObject.js';

// Enough to keep libuv's thread pool busy with fsyncs, few enough not to exhaust file handles
// when one commit writes thousands of trees (a bulk import).
const STORE_CONCURRENCY = 32;

export async function writeCommit(ctx: RepoContext, args: WriteCommitArgs): Promise<Oid> {
  args.parents.forEach((p, i) => assertOid(p, `parents[${i}]`));
  if (args.baseTree !== undefined) assertOid(args.baseTree, 'baseTree');

  const objects: FramedObject[] = [];
  const tree = await applyChanges(ctx, args.baseTree, args.changes, objects);
  const commit = frameObject(
    'commit',
    serializeCommit({ tree, parents: args.parents, author: args.author, committer: args.committer ?? args.author, message: args.message }),
  );
  objects.push(commit);

  // All objects in parallel so their file fsyncs overlap in the thread pool, then one fsync
  // per touched directory. Nothing references the commit until casRef moves a ref, and casRef
  // runs only after this returns, so the order among these writes does not matter.
  const unique = new Map(objects.map((o) => [o.oid, o])); // e.g. many identical document dirs
  await forEachLimit([...unique.values()], STORE_CONCURRENCY, (o) => storeObject(ctx, o));
  await ctx.dirSync.flush();
  return commit.oid;
}


async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
