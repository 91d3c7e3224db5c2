/**
 * Objects are read with Node's zlib: loose ones by readLoose.ts, packed ones (every save's,
 * see writePack.ts) by readPacked.ts, both several times faster than isomorphic-git for big
 * blobs. Commits are parsed by isomorphic-git, with the repository's one cache. isomorphic-git
 * errors are translated here, where they enter verso.
 */
import { readCommit as gitReadCommit } from 'isomorphic-git';
import { InternalError, NotFoundError, ValidationError, VersoError } from '../errors/index.js';
import type { Oid } from '../types.js';
import type { RepoContext } from './context.js';
import type { ObjectType } from './gitObject.js';
import type { CommitInfo, GitIdentity } from './types.js';
import { readLoose } from './readLoose.js';
import { parseTree, type TreeEntry, EMPTY_TREE } from './treeFormat.js';
import { parseCommit } from './commitFormat.js';

const OID = /^[0-9a-f]{40}$/;

/** Maps an isomorphic-git error to a verso error; `what` names the object for messages. */
export function translateGitError(err: unknown, what: string, data: Record<string, unknown>): Error {
  if (err instanceof VersoError) return err; // ours already (readLoose's corruption reports)
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'NotFoundError' || code === 'ENOENT') return new NotFoundError(`${what} not found`, data, err);
  if (code === 'ObjectTypeError') return new NotFoundError(`${what} not found (wrong object type)`, data, err);
  if (code === 'AmbiguousError') return new ValidationError(`${what} is ambiguous`, data, err);
  return new InternalError(`reading ${what} failed`, data, err);
}

/**
 * Runs a read again when it failed, up to twice: a repack (maintenance.ts, `git gc`, another
 * gateway's) may delete a pack between isomorphic-git's listing of `objects/pack` and its read
 * of that pack, or the loose copy between our look and its. The objects are in the pack that
 * replaced it, written before the old one went; a fresh listing finds them, as git's readers
 * do (reprepare_packed_git). A truly missing object costs two more listings.
 */
export async function retryingPackRaces<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

function checkOid(oid: string, what: string): void {
  if (typeof oid !== 'string' || !OID.test(oid)) {
    throw new ValidationError(`${what} id must be 40 lowercase hex characters`, { oid });
  }
}

/** Uncompressed content of an object, checked to be of `type`. */
export async function readContent(ctx: RepoContext, oid: Oid, type: ObjectType): Promise<Uint8Array> {
  const { type: actual, content } = await readAny(ctx, oid, type);
  if (actual !== type) throw new NotFoundError(`${type} ${oid} not found (it is a ${actual})`, { oid, type: actual });
  return content;
}

export async function readAny(
  ctx: RepoContext,
  oid: Oid,
  what = 'object',
): Promise<{ type: ObjectType; content: Uint8Array }> {
  checkOid(oid, what);
  // A miss is asked again from scratch: under a background repack an object can be absent from
  // the listing this reader holds (maintenance.test.ts caught it once in a CI run). Real misses
  // are rare here (callers read what a ref reaches), so the short waits cost nothing in practice.
  for (let attempt = 1; ; attempt++) {
    const found = await retryingPackRaces(() => readStored(ctx, oid)).catch((err: unknown) => {
      throw translateGitError(err, `${what} ${oid}`, { oid });
    });
    if (found) return found;
    if (oid === EMPTY_TREE || attempt >= 3) break;
    ctx.packs.forget();
    await new Promise((r) => setTimeout(r, 10 * attempt));
  }
  // git (and isomorphic-git) treat the empty tree as always present, stored or not.
  if (oid === EMPTY_TREE) return { type: 'tree', content: new Uint8Array(0) };
  throw new NotFoundError(`${what} ${oid} not found`, { oid });
}

/** Loose first (the cheaper look), then the packs; undefined when neither has it. */
async function readStored(ctx: RepoContext, oid: Oid): Promise<{ type: ObjectType; content: Uint8Array } | undefined> {
  const loose = await readLoose(ctx.gitdir, oid);
  return loose ?? (await ctx.packs.read(oid, (base) => readStored(ctx, base)));
}

export async function readBlob(ctx: RepoContext, oid: Oid): Promise<Uint8Array> {
  return readContent(ctx, oid, 'blob');
}

/** Parsed tree entries, from the LRU when possible (trees never change under an oid). */
export async function readTreeEntries(ctx: RepoContext, oid: Oid): Promise<readonly TreeEntry[]> {
  const hit = ctx.trees.get(oid);
  if (hit) return hit;
  // The empty tree need not exist on disk; git itself treats it as always present.
  const entries = oid === EMPTY_TREE ? [] : parseTree(await readContent(ctx, oid, 'tree'));
  ctx.trees.set(oid, entries, entries.length + 1);
  return entries;
}

function identity(p: { name: string; email: string; timestamp: number; timezoneOffset: number }): GitIdentity {
  return { name: p.name, email: p.email, timestamp: p.timestamp, timezoneOffset: p.timezoneOffset };
}

/**
 * The commit `oid` (an annotated tag is peeled to its commit). The returned object is shared
 * with the cache: treat it as read-only (public callers get a copy, see copyCommit).
 */
export async function readCommitShared(ctx: RepoContext, oid: Oid): Promise<CommitInfo> {
  const hit = ctx.commits.get(oid);
  if (hit) return hit;
  checkOid(oid, 'commit');
  const info = (await readCommitOwn(ctx, oid)) ?? (await readCommitIsoGit(ctx, oid));
  ctx.commits.set(oid, info);
  return info;
}

/** Our reader (commitFormat.ts); undefined for a commit of a shape it leaves to isomorphic-git. */
async function readCommitOwn(ctx: RepoContext, oid: Oid): Promise<CommitInfo | undefined> {
  let target = oid;
  // An annotated tag is peeled to its commit, as isomorphic-git's resolveCommit does.
  for (let depth = 0; depth < 8; depth++) {
    const { type, content } = await readAny(ctx, target, 'commit');
    if (type === 'commit') return parseCommit(target, content);
    if (type !== 'tag') throw new NotFoundError(`commit ${oid} not found (wrong object type)`, { oid });
    const object = /^object ([0-9a-f]{40})$/m.exec(Buffer.from(content).toString('utf8'))?.[1];
    if (!object) return undefined;
    target = object as Oid;
  }
  return undefined;
}

async function readCommitIsoGit(ctx: RepoContext, oid: Oid): Promise<CommitInfo> {
  const result = await retryingPackRaces(() => gitReadCommit({ fs: ctx.fs, gitdir: ctx.gitdir, oid, cache: ctx.cache })).catch((err: unknown) => {
    throw translateGitError(err, `commit ${oid}`, { oid });
  });
  const c = result.commit;
  return {
    oid: result.oid as Oid,
    tree: c.tree as Oid,
    parents: c.parent as Oid[],
    author: identity(c.author),
    committer: identity(c.committer),
    message: c.message,
  };
}

export function copyCommit(c: CommitInfo): CommitInfo {
  return { ...c, parents: [...c.parents], author: { ...c.author }, committer: { ...c.committer } };
}
