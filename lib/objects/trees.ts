/**
 * Applying path changes to a tree. Only the trees on changed paths are rebuilt; untouched
 * subtrees keep their oids. Parsed trees come from and go to the LRU in the context, so saving
 * into a directory of 10k documents re-parses nothing (that tree is ~530 KB; see DESIGN.md).
 */
import { ValidationError } from '../errors/index.js';
import type { Oid } from '../types.js';
import type { RepoContext } from './context.js';
import { frameObject, type FramedObject } from './gitObject.js';
import { readTreeEntries } from './readObject.js';
import {
  BLOB_MODE, EMPTY_TREE, EXEC_MODE, TREE_MODE, searchEntry, serializeTree, type TreeEntry,
} from './treeFormat.js';
import type { TreeChange } from './types.js';

/** The changes below one directory, keyed by entry name. */
interface ChangeNode {
  /** Set on leaves: the new blob, or null to delete the path. */
  blob?: Oid | null;
  children?: Map<string, ChangeNode>;
  /** A directory whose earlier content (file or directory) an earlier change in the set deleted. */
  fresh?: boolean;
}

const OID = /^[0-9a-f]{40}$/;
// fsck --strict refuses '.', '..' and '.git' (any case) as names; '/' and NUL cannot occur.
const BAD_SEGMENT = /^(?:\.{1,2}|\.git)$/i;

export function splitPath(path: string): string[] {
  if (typeof path !== 'string' || path === '') throw new ValidationError('path must be a non-empty string', { path });
  const segments = path.split('/');
  for (const s of segments) {
    if (s === '' || BAD_SEGMENT.test(s) || s.includes('\0') || Buffer.from(s, 'utf8').toString('utf8') !== s) {
      throw new ValidationError(`invalid path ${JSON.stringify(path)}`, { path });
    }
  }
  return segments;
}

/**
 * Folds the change list into a tree of nodes, applying changes in order: a later change to a
 * path wins, deleting `a` then putting `a/b` leaves a directory holding only `b`, and putting a
 * file where the same change set puts a directory (or the reverse) is refused.
 */
function buildChangeTree(changes: readonly TreeChange[]): ChangeNode {
  const root: ChangeNode = { children: new Map() };
  for (const change of changes) {
    if (change.blob !== null && (typeof change.blob !== 'string' || !OID.test(change.blob))) {
      throw new ValidationError('change blob must be an object id or null', { path: change.path });
    }
    const segments = splitPath(change.path);
    const clash = () => new ValidationError(`path ${change.path} is both a file and a directory in one change set`, { path: change.path });
    let node = root;
    for (let i = 0; i < segments.length; i++) {
      const name = segments[i]!;
      const children = node.children!;
      const child = children.get(name);
      if (i === segments.length - 1) {
        if (child?.children && change.blob !== null) throw clash();
        children.set(name, { blob: change.blob });
        break;
      }
      if (child === undefined) {
        node = { children: new Map() };
      } else if (child.children) {
        node = child;
      } else if (child.blob === null) {
        node = { children: new Map(), fresh: true };
      } else {
        throw clash();
      }
      children.set(name, node);
    }
  }
  return root;
}

/**
 * Returns the root tree oid of `baseTree` with `changes` applied, pushing every new tree
 * object onto `out` (nothing is written here). Emptied directories disappear, as in Git.
 */
export async function applyChanges(
  ctx: RepoContext,
  baseTree: Oid | undefined,
  changes: readonly TreeChange[],
  out: FramedObject[],
): Promise<Oid> {
  const root = buildChangeTree(changes);
  const oid = await rewrite(ctx, baseTree, root.children!, '', out);
  if (oid !== undefined) return oid;
  out.push(frameObject('tree', Buffer.alloc(0)));
  return EMPTY_TREE;
}

async function rewrite(
  ctx: RepoContext,
  treeOid: Oid | undefined,
  changes: Map<string, ChangeNode>,
  prefix: string,
  out: FramedObject[],
): Promise<Oid | undefined> {
  const base = treeOid === undefined ? [] : await readTreeEntries(ctx, treeOid);

  // Subdirectories first, concurrently: each needs its own tree read.
  const dirs = [...changes].filter(([, node]) => node.children);
  const subResults = await Promise.all(
    dirs.map(async ([name, node]) => {
      const blobAt = searchEntry(base, name, false);
      if (blobAt >= 0 && !node.fresh) {
        if (onlyDeletes(node)) return { name, skip: true, oid: undefined };
        throw new ValidationError(`${prefix}${name} is a file, not a directory`, { path: `${prefix}${name}` });
      }
      const at = searchEntry(base, name, true);
      const old = at >= 0 && !node.fresh ? base[at]!.oid : undefined;
      const oid = await rewrite(ctx, old, node.children!, `${prefix}${name}/`, out);
      return { name, skip: false, oid };
    }),
  );

  const entries = [...base];
  // Whether any put changed the entries (comparing 100k entries after every save cost ~1 ms).
  let dirty = false;
  for (const r of subResults) {
    if (r.skip) continue;
    if (changes.get(r.name)!.fresh) dirty = put(entries, r.name, false, undefined) || dirty;
    dirty = put(entries, r.name, true, r.oid === undefined ? undefined : { mode: TREE_MODE, name: r.name, oid: r.oid }) || dirty;
  }
  for (const [name, node] of changes) {
    if (node.children) continue;
    const treeAt = searchEntry(entries, name, true);
    if (node.blob === null || node.blob === undefined) {
      // Deleting a name removes whatever is there, file or directory.
      dirty = put(entries, name, false, undefined) || dirty;
      if (treeAt >= 0) dirty = put(entries, name, true, undefined) || dirty;
      continue;
    }
    if (treeAt >= 0) throw new ValidationError(`${prefix}${name} is a directory, not a file`, { path: `${prefix}${name}` });
    const at = searchEntry(entries, name, false);
    // Keep the executable bit of a file someone pushed; anything else becomes a plain file.
    const mode = at >= 0 && entries[at]!.mode === EXEC_MODE ? EXEC_MODE : BLOB_MODE;
    dirty = put(entries, name, false, { mode, name, oid: node.blob }) || dirty;
  }

  if (entries.length === 0) return undefined;
  if (treeOid !== undefined && !dirty) return treeOid;
  const obj = frameObject('tree', serializeTree(entries, ctx.entryBytes));
  ctx.trees.set(obj.oid, entries, entries.length + 1);
  out.push(obj);
  return obj.oid;
}

/**
 * Replaces, inserts or (entry undefined) removes the entry named `name` of the given kind.
 * Returns whether the entries changed (an equal entry keeps the old object).
 */
function put(entries: TreeEntry[], name: string, tree: boolean, entry: TreeEntry | undefined): boolean {
  const at = searchEntry(entries, name, tree);
  if (at >= 0) {
    const old = entries[at]!;
    if (!entry) entries.splice(at, 1);
    else if (old.oid === entry.oid && old.mode === entry.mode) return false;
    else entries[at] = entry;
    return true;
  }
  if (!entry) return false;
  entries.splice(-at - 1, 0, entry);
  return true;
}

function onlyDeletes(node: ChangeNode): boolean {
  if (!node.children) return node.blob === null;
  for (const child of node.children.values()) if (!onlyDeletes(child)) return false;
  return true;
}

