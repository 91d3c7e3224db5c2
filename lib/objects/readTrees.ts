/** Path lookups, file listings and tree comparison over parsed (and cached) trees. */
import type { Oid } from '../types.js';
import type { RepoContext } from './context.js';
import { readCommitShared, readTreeEntries } from './readObject.js';
import { compareEntries, isTree, searchEntry, type TreeEntry } from './treeFormat.js';
import { splitPath } from './trees.js';
import type { ChangedPath, FileAtPath } from './types.js';

/** Entries that hold content a document can live in: regular files and executables. */
function isFile(e: TreeEntry): boolean {
  return e.mode === '100644' || e.mode === '100755';
}

export async function readPath(ctx: RepoContext, commit: Oid, path: string): Promise<Oid | undefined> {
  const segments = splitPath(path);
  let tree = (await readCommitShared(ctx, commit)).tree;
  for (let i = 0; i < segments.length; i++) {
    const entries = await readTreeEntries(ctx, tree);
    const name = segments[i]!;
    if (i === segments.length - 1) {
      const at = searchEntry(entries, name, false);
      return at >= 0 && isFile(entries[at]!) ? entries[at]!.oid : undefined;
    }
    const at = searchEntry(entries, name, true);
    if (at < 0) return undefined;
    tree = entries[at]!.oid;
  }
  return undefined;
}

export async function listFiles(ctx: RepoContext, commit: Oid): Promise<FileAtPath[]> {
  const out: FileAtPath[] = [];
  await collect(ctx, (await readCommitShared(ctx, commit)).tree, '', out);
  return out;
}

/** Appends every file under `tree`, in Git's path order. Subtrees are read concurrently. */
async function collect(ctx: RepoContext, tree: Oid, prefix: string, out: FileAtPath[]): Promise<void> {
  const entries = await readTreeEntries(ctx, tree);
  const parts = await Promise.all(
    entries.map(async (e): Promise<FileAtPath[]> => {
      if (isTree(e)) {
        const sub: FileAtPath[] = [];
        await collect(ctx, e.oid, `${prefix}${e.name}/`, sub);
        return sub;
      }
      return isFile(e) ? [{ path: `${prefix}${e.name}`, blob: e.oid }] : [];
    }),
  );
  for (const p of parts) for (const f of p) out.push(f);
}

export async function changedPaths(ctx: RepoContext, before: Oid | undefined, after: Oid): Promise<ChangedPath[]> {
  const a = before === undefined ? undefined : (await readCommitShared(ctx, before)).tree;
  const b = (await readCommitShared(ctx, after)).tree;
  const out: ChangedPath[] = [];
  if (a !== b) await diffTrees(ctx, a, b, '', out);
  return out;
}

async function diffTrees(
  ctx: RepoContext,
  a: Oid | undefined,
  b: Oid | undefined,
  prefix: string,
  out: ChangedPath[],
): Promise<void> {
  const [ea, eb] = await Promise.all([
    a === undefined ? [] : readTreeEntries(ctx, a),
    b === undefined ? [] : readTreeEntries(ctx, b),
  ]);
  // Merge the two sorted lists; a file and a directory of one name are distinct entries
  // (they sort apart), so a file replaced by a directory shows as a delete plus adds.
  let i = 0;
  let j = 0;
  while (i < ea.length || j < eb.length) {
    const x = ea[i];
    const y = eb[j];
    const c = x === undefined ? 1 : y === undefined ? -1 : compareEntries(x, y);
    if (c === 0) {
      i++;
      j++;
      if (x!.oid === y!.oid) continue; // equal subtrees are skipped without reading them
      await emit(ctx, x, y, prefix, out);
    } else if (c < 0) {
      i++;
      await emit(ctx, x, undefined, prefix, out);
    } else {
      j++;
      await emit(ctx, undefined, y, prefix, out);
    }
  }
}

async function emit(
  ctx: RepoContext,
  x: TreeEntry | undefined,
  y: TreeEntry | undefined,
  prefix: string,
  out: ChangedPath[],
): Promise<void> {
  const name = (x ?? y)!.name;
  if ((x && isTree(x)) || (y && isTree(y))) {
    await diffTrees(ctx, x?.oid, y?.oid, `${prefix}${name}/`, out);
    return;
  }
  const change: ChangedPath = { path: `${prefix}${name}` };
  if (x && isFile(x)) change.before = x.oid;
  if (y && isFile(y)) change.after = y.oid;
  if (change.before !== undefined || change.after !== undefined) out.push(change);
}
