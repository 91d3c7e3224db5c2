/** Short hashes (as users paste them) to full ids, over loose and packed objects. */
import { expandOid as gitExpandOid } from 'isomorphic-git';
import { ValidationError } from '../errors/index.js';
import type { Oid } from '../types.js';
import type { RepoContext } from './context.js';
import { retryingPackRaces, translateGitError } from './readObject.js';

export async function expandOid(ctx: RepoContext, prefix: string): Promise<Oid | undefined> {
  const short = typeof prefix === 'string' ? prefix.toLowerCase() : '';
  if (!/^[0-9a-f]{4,40}$/.test(short)) {
    throw new ValidationError('a short hash is 4 to 40 hex characters', { prefix });
  }
  try {
    return (await retryingPackRaces(() => gitExpandOid({ fs: ctx.fs, gitdir: ctx.gitdir, oid: short, cache: ctx.cache }))) as Oid;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'NotFoundError') return undefined;
    const data = (err as { data?: { matches?: unknown } }).data;
    throw translateGitError(err, `short hash ${short}`, { prefix: short, candidates: data?.matches });
  }
}
