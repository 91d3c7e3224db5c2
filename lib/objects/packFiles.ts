/**
 * The files of `objects/pack/`: which packs are there (a pack exists once its `.idx` does, as
 * for git), what a crashed writer left (temp files, a `.pack` whose `.idx` never came), and
 * isomorphic-git's cache of parsed packs, which would keep every pack ever read in memory.
 */
import { open, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { RepoContext } from './context.js';
import { packDir } from './writePack.js';

/**
 * Age past which a pack writer's leftovers are surely abandoned: writePack renames the pack and
 * its index milliseconds apart, and git's own writers do the same. git prune removes `tmp_*`
 * files here after two weeks; an hour is plenty and keeps a crashed batch from lingering.
 */
export const ORPHAN_PACK_AGE_MS = 60 * 60 * 1000;

export interface PackInfo {
  /** `pack-<checksum>` */
  name: string;
  objects: number;
}

/** The packs readers see (those with an index), with their object counts (fan-out[255]). */
export async function listPacks(ctx: RepoContext): Promise<PackInfo[]> {
  const dir = packDir(ctx.gitdir);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((f) => /^pack-[0-9a-f]+\.idx$/.test(f));
  const out: PackInfo[] = [];
  for (const f of names) {
    const objects = await indexObjectCount(join(dir, f));
    if (objects !== undefined) out.push({ name: f.slice(0, -'.idx'.length), objects });
  }
  return out;
}

async function indexObjectCount(path: string): Promise<number | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return undefined; // removed by a repack since the listing
  }
  try {
    const b = Buffer.alloc(4);
    // Version 2 index: 8-byte header, then the fan-out table whose last entry is the count.
    const { bytesRead } = await fh.read(b, 0, 4, 8 + 255 * 4);
    return bytesRead === 4 ? b.readUInt32BE(0) : undefined;
  } finally {
    await fh.close();
  }
}

/**
 * Removes what an interrupted pack write left once it is older than `olderThanMs`: temp files
 * (`tmp_pack_*`, `tmp_idx_*`) and `.pack` files without their `.idx`. No reader ever used them
 * (readers find packs by their index) and no ref points into them (the ref moves only after
 * the index is in place). Returns the names removed.
 */
export async function removeOrphanPacks(ctx: RepoContext, olderThanMs = ORPHAN_PACK_AGE_MS): Promise<string[]> {
  const dir = packDir(ctx.gitdir);
  const files = await readdir(dir).catch(() => [] as string[]);
  const present = new Set(files);
  const removed: string[] = [];
  for (const f of files) {
    const orphan = f.startsWith('tmp_pack_') || f.startsWith('tmp_idx_') || (/^pack-[0-9a-f]+\.pack$/.test(f) && !present.has(f.replace(/\.pack$/, '.idx')));
    if (!orphan) continue;
    const path = join(dir, f);
    const st = await stat(path).catch(() => undefined);
    if (!st || Date.now() - st.mtimeMs < olderThanMs) continue;
    // The index may have appeared since the listing (a writer that was just slow): keep it then.
    if (f.endsWith('.pack') && (await stat(path.replace(/\.pack$/, '.idx')).catch(() => undefined))) continue;
    if (await unlink(path).then(() => true, () => false)) removed.push(f);
  }
  return removed;
}

/**
 * Drops isomorphic-git's cached indexes (and pack contents) of packs that are gone. It caches
 * each `.idx` it reads by path for the life of the cache object and never evicts; once repacks
 * replace small packs by bigger ones, the replaced ones would stay in memory for good. Its
 * readers list `objects/pack` on every lookup, so dropping an entry only costs a re-read of a
 * pack that comes back (it cannot: pack names are checksums).
 */
export async function forgetRemovedPacks(ctx: RepoContext): Promise<void> {
  const cache = ctx.cache as Record<symbol, unknown>;
  const key = Object.getOwnPropertySymbols(cache).find((s) => s.description === 'PackfileCache');
  const packs = key === undefined ? undefined : cache[key];
  if (!(packs instanceof Map)) return;
  for (const path of [...packs.keys()]) {
    if (typeof path === 'string' && !(await stat(path).then(() => true, () => false))) packs.delete(path);
  }
}
