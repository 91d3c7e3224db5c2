/**
 * One packfile per batch of new objects, as git's bulk-checkin writes them (bulk-checkin.c,
 * pack-write.c): instead of one loose file per object (written, fsynced, renamed, and every
 * touched `objects/xx` directory fsynced), the batch's objects go undeltified into one pack and
 * its version 2 index. Both are written to temp files and fsynced together (one round), the
 * pack is renamed into `objects/pack/` first and the index last (git, isomorphic-git and our
 * reader find packs by their `.idx`, so a reader never sees a pack without its objects), and
 * the directory fsync is left to the ref move (casRef flushes ctx.dirSync alongside the lock
 * file's fsync), so the objects are durable before anything points at them.
 *
 * A crash before the index rename leaves a temp file or an index-less `.pack`: invisible to
 * every reader, removed by packMaintenance once old (removeOrphanPacks). Deltas come later, from
 * the background consolidation (maintenance.ts). Every object of the batch is written even when
 * another pack holds it: such a pack may be old and about to be repacked away, and writing the
 * copy is what keeps it fresh for git's pruning (as freshen_packed_object does).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { RepoContext } from './context.js';
import type { FramedObject } from './gitObject.js';
import { encodeIndex, encodePack, packEntry, type PackEntry, type PackedType } from './packFormat.js';

const deflateAsync = promisify(zlib.deflate);
// As in writeObject.ts: inline below 64 KB, the thread pool above; level 1 (git's
// core.looseCompression default) compresses a 20 KB page 3x faster than level 6 for 4% more
// bytes, and big trees are stored (level 0) since their random ids barely compress.
const INLINE_ZLIB_LIMIT = 64 * 1024;
const ZLIB_OPTIONS = { level: 1 };
const STORED = { level: 0 };

export function packDir(gitdir: string): string {
  return join(gitdir, 'objects', 'pack');
}

/**
 * Writes `objects` as one pack and index in `objects/pack/`; returns the pack's name
 * (`pack-<checksum>`). The caller must `ctx.dirSync.flush()` before anything durable points
 * at the objects (casRef does). Ids must be distinct.
 */
export async function writePack(ctx: RepoContext, objects: readonly FramedObject[]): Promise<string | undefined> {
  if (objects.length === 0) return undefined;
  const entries = await Promise.all(objects.map((o) => deflateEntry(o)));
  const pack = encodePack(entries);
  const idx = encodeIndex(entries, pack.offsets, pack.checksum);
  const dir = packDir(ctx.gitdir);
  const name = `pack-${pack.checksum.toString('hex')}`;
  const suffix = randomBytes(8).toString('hex');
  // git's own temp names: git prune removes old `tmp_*` files from objects/pack.
  const tmpPack = join(dir, `tmp_pack_${suffix}`);
  const tmpIdx = join(dir, `tmp_idx_${suffix}`);
  try {
    await Promise.all([writeDurably(ctx, tmpPack, pack.chunks), writeDurably(ctx, tmpIdx, [idx])]);
    // Equal names mean equal bytes (the name is the checksum), so replacing is harmless.
    await rename(tmpPack, join(dir, `${name}.pack`));
    await rename(tmpIdx, join(dir, `${name}.idx`));
  } catch (err) {
    await Promise.all([unlink(tmpPack).catch(() => undefined), unlink(tmpIdx).catch(() => undefined)]);
    throw err;
  }
  ctx.dirSync.add(dir);
  return name;
}

async function deflateEntry(o: FramedObject): Promise<PackEntry> {
  const space = o.framed.indexOf(0x20);
  const nul = o.framed.indexOf(0, space);
  const type = o.framed.toString('latin1', 0, space) as PackedType;
  const body = o.framed.subarray(nul + 1);
  const deflated =
    body.length <= INLINE_ZLIB_LIMIT ? zlib.deflateSync(body, ZLIB_OPTIONS) : await deflateAsync(body, type === 'tree' ? STORED : ZLIB_OPTIONS);
  return packEntry(o.oid, type, body.length, deflated);
}

async function writeDurably(ctx: RepoContext, path: string, chunks: Buffer[]): Promise<void> {
  let fh;
  try {
    fh = await open(path, 'wx', 0o444);
  } catch (err) {
    // objects/pack is created by init; recreate it if something removed it.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(packDir(ctx.gitdir), { recursive: true });
    ctx.dirSync.add(join(ctx.gitdir, 'objects'));
    fh = await open(path, 'wx', 0o444);
  }
  try {
    await fh.writev(chunks);
    if (ctx.fsyncEnabled) await fh.sync();
  } finally {
    await fh.close();
  }
}
