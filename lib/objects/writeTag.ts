/** Annotated tag objects (semver labels of documents; the tag message is the changelog). */
import type { Oid } from '../types.js';
import type { RepoContext } from './context.js';
import { assertOid, frameObject, serializeTag } from './gitObject.js';
import { readAny } from './readObject.js';
import type { GitIdentity } from './types.js';
import { storeObject } from './writeObject.js';

export async function writeTag(
  ctx: RepoContext,
  args: { object: Oid; tag: string; tagger: GitIdentity; message: string },
): Promise<Oid> {
  assertOid(args.object, 'object');
  // The `type` header must name the target's real type (fsck checks it), and the target must exist.
  const { type } = await readAny(ctx, args.object);
  const obj = frameObject('tag', serializeTag({ ...args, type }));
  await storeObject(ctx, obj);
  await ctx.dirSync.flush();
  return obj.oid;
}
