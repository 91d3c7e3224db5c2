/**
 * Packing loose objects (10k versions of a 20 KB document took 251 MB as 50k loose files) and
 * the small packs saves write (writePack.ts), by hand (`verso gc`); maintenance.ts does it in
 * the background.
 *
 * With the git CLI: `git gc --quiet`. Git delta-compresses (versions of a document are
 * near-identical, so this is where the disk goes back), fsyncs packs by default, writes pack
 * and index before removing loose copies, packs refs, and prunes only unreachable loose objects
 * older than two weeks: a save in flight (objects written, ref not yet moved) is seconds old, and
 * our writer refreshes the mtime of objects it finds already present, as git does, so an old
 * orphan that a new save reuses is not pruned under it. Unreachable recent objects stay loose.
 * Without git, isomorphic-git's packObjects + indexPack: a valid pack of every loose object,
 * but without deltas, so it only saves the per-file overhead.
 */
import { execFile } from 'node:child_process';
import { open, readdir, rename, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { indexPack, packObjects } from 'isomorphic-git';
import { InternalError } from '../errors/index.js';
import type { RepoContext } from './context.js';
import { fsyncDir } from './fsync.js';
import { forgetRemovedPacks, listPacks, removeOrphanPacks } from './packFiles.js';
import { waitMaintenanceLock } from './maintenanceLock.js';
import { objectPath } from './writeObject.js';

const run = promisify(execFile);
/** How long `verso gc` waits for a maintenance run another process has under way. */
const PACK_WAIT_MS = 120_000;

/**
 * Packs loose objects and consolidates the per-batch packs (writePack.ts) into one.
 * `packed`: objects moved, from loose files or from packs that were replaced; `loose`: loose
 * objects left (unreachable recent ones, which git keeps loose on purpose).
 */
export async function pack(ctx: RepoContext): Promise<{ packed: number; loose: number }> {
  // A background run of this or another process finishes first (maintenanceLock.ts).
  const release = await waitMaintenanceLock(ctx, PACK_WAIT_MS);
  try {
    return await packNow(ctx);
  } finally {
    await release();
  }
}

async function packNow(ctx: RepoContext): Promise<{ packed: number; loose: number }> {
  await removeOrphanPacks(ctx);
  const before = await looseObjectIds(ctx);
  const packsBefore = await listPacks(ctx);
  const git = await gitAvailable();
  if (before.length === 0 && (packsBefore.length <= 1 || !git)) return { packed: 0, loose: 0 };
  if (git) await packWithGit(ctx);
  else await packWithIsomorphicGit(ctx, before);
  await forgetRemovedPacks(ctx);
  const after = await looseObjectIds(ctx);
  const remaining = new Set((await listPacks(ctx)).map((p) => p.name));
  const repacked = packsBefore.filter((p) => !remaining.has(p.name)).reduce((n, p) => n + p.objects, 0);
  return { packed: before.length - after.length + repacked, loose: after.length };
}

/** An environment without GIT_DIR and friends, in case we run inside a git hook. */
export function cleanGitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  return env;
}

export async function gitAvailable(): Promise<boolean> {
  return run('git', ['--version'], { env: cleanGitEnv() }).then(
    () => true,
    () => false,
  );
}

export async function packWithGit(ctx: RepoContext): Promise<void> {
  try {
    await run('git', ['--git-dir', ctx.gitdir, 'gc', '--quiet'], {
      env: cleanGitEnv(),
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    throw new InternalError('git gc failed', { stderr: String((err as { stderr?: unknown }).stderr ?? '') }, err);
  }
}

export async function packWithIsomorphicGit(ctx: RepoContext, oids: string[]): Promise<void> {
  const packDir = join(ctx.gitdir, 'objects', 'pack');
  const { filename, packfile } = await packObjects({ fs: ctx.fs, gitdir: ctx.gitdir, oids, cache: ctx.cache });
  if (!packfile) throw new InternalError('packObjects returned no pack', {});
  // The pack must be complete before its index appears: readers find packs by their .idx.
  const tmp = join(packDir, `tmp_pack_${process.pid}_${Date.now()}`);
  const fh = await open(tmp, 'wx', 0o444);
  try {
    await fh.writeFile(packfile);
    if (ctx.fsyncEnabled) await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(packDir, filename));
  await indexPack({ fs: ctx.fs, dir: ctx.gitdir, gitdir: ctx.gitdir, filepath: `objects/pack/${filename}`, cache: ctx.cache });
  if (ctx.fsyncEnabled) {
    const idx = await open(join(packDir, filename.replace(/\.pack$/, '.idx')), 'r+');
    await idx.sync().finally(() => idx.close());
    await fsyncDir(packDir);
  }
  for (const oid of oids) await unlink(objectPath(ctx.gitdir, oid)).catch(() => undefined);
  // Like git prune-packed, drop emptied object directories (a writer re-creates them on demand).
  for (const oid of new Set(oids.map((o) => o.slice(0, 2)))) {
    await rmdir(join(ctx.gitdir, 'objects', oid)).catch(() => undefined);
  }
}

export async function looseObjectIds(ctx: RepoContext): Promise<string[]> {
  const objects = join(ctx.gitdir, 'objects');
  const ids: string[] = [];
  for (const dir of await readdir(objects).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{2}$/.test(dir)) continue;
    for (const name of await readdir(join(objects, dir)).catch(() => [] as string[])) {
      if (/^[0-9a-f]{38}$/.test(name)) ids.push(dir + name);
    }
  }
  return ids;
}
