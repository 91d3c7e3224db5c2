/**
 * Reads objects from packs with Node's zlib, the read side of writePack.ts (and of git's packs:
 * deltas included). Every save now lands in a pack, so this is where `show` and `diff` read;
 * isomorphic-git's packed read inflates in JavaScript and loads whole packs: a 1.2 MB blob took
 * 30–47 ms here against a few with zlib, and a 20 KB one 1–3 ms (load 13).
 *
 * Packs are found by their `.idx`, as git finds them. The listing of `objects/pack` is kept
 * until a lookup misses, then read again (git's reprepare_packed_git), so a pack another writer
 * renamed in a moment ago is seen by the next read that needs it; parsed indexes are kept per
 * pack name (a checksum: the bytes behind a name never change) and dropped when their pack
 * leaves the listing. A pack removed by a repack between the listing and the read fails the
 * read; readObject.ts retries it on a fresh listing.
 */
import { createHash } from 'node:crypto';
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { InternalError } from '../errors/index.js';
import type { Oid } from '../types.js';
import type { ObjectType } from './gitObject.js';
import { WeightedLru } from './lru.js';
import { applyDelta } from './packDelta.js';

const inflateAsync = promisify(zlib.inflate);
const INLINE_INFLATE_LIMIT = 64 * 1024;
const TYPE_NAMES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;

interface PackIndex {
  count: number;
  fanout: Buffer;
  ids: Buffer;
  small: Buffer;
  big: Buffer;
}

type Found = { type: ObjectType; content: Buffer };
/** Reads an object wherever it is (loose or packed): REF_DELTA bases may be anywhere. */
export type ReadBase = (oid: Oid) => Promise<{ type: ObjectType; content: Uint8Array } | undefined>;

export class PackReader {
  private listing: string[] | undefined;
  private readonly indexes = new Map<string, Promise<PackIndex>>();
  /**
   * Delta bases by pack and offset, weighed in KB: git makes the newest version of a document
   * the base of the older ones, so reading history walks the same chain again and again. 8 MB
   * per repository (a site): a few bases of big documents, hundreds of small ones.
   */
  private readonly bases = new WeightedLru<string, Found>(8 * 1024);

  constructor(private readonly dir: string) {}

  /**
   * Drops the listing and the parsed indexes: the next read lists objects/pack again and reads
   * each index anew (after a miss that a concurrent repack may have caused).
   */
  forget(): void {
    this.listing = undefined;
    this.indexes.clear();
  }

  /** The object, or undefined when no pack (as listed now) holds it. */
  async read(oid: Oid, readBase: ReadBase): Promise<Found | undefined> {
    const id = Buffer.from(oid, 'hex');
    let listed = false;
    if (!this.listing) {
      await this.relist();
      listed = true;
    }
    let hit = await this.find(id);
    if (!hit && !listed) {
      await this.relist(); // a pack written since the last listing (git: reprepare_packed_git)
      hit = await this.find(id);
    }
    if (!hit) return undefined;
    let found: Found;
    try {
      found = await this.readAt(hit.pack, hit.offset, readBase);
    } catch (err) {
      // Repacked away since the listing: the caller's retry must list again.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') this.listing = undefined;
      throw err;
    }
    const hash = createHash('sha1').update(`${found.type} ${found.content.length}\0`, 'latin1').update(found.content).digest('hex');
    if (hash !== oid) throw new InternalError(`object ${oid} in ${hit.pack}.pack is corrupt (its content does not hash to its name)`, { oid });
    return found;
  }

  private async find(id: Buffer): Promise<{ pack: string; offset: number } | undefined> {
    for (const pack of this.listing ?? []) {
      let idx: PackIndex;
      try {
        idx = await this.index(pack);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // repacked away meanwhile
        throw err;
      }
      const offset = lookup(idx, id);
      if (offset !== undefined) return { pack, offset };
    }
    return undefined;
  }

  private async relist(): Promise<void> {
    const files = await readdir(this.dir).catch(() => [] as string[]);
    const names = files.filter((f) => f.startsWith('pack-') && f.endsWith('.idx')).map((f) => f.slice(0, -4));
    // Newest writes first would be ideal; names are checksums, so any order is as good.
    this.listing = names;
    const keep = new Set(names);
    for (const name of [...this.indexes.keys()]) if (!keep.has(name)) this.indexes.delete(name);
  }

  private index(pack: string): Promise<PackIndex> {
    let p = this.indexes.get(pack);
    if (!p) {
      p = readFile(join(this.dir, `${pack}.idx`)).then((b) => parseIndex(b, pack));
      this.indexes.set(pack, p);
      p.catch(() => this.indexes.get(pack) === p && this.indexes.delete(pack));
    }
    return p;
  }

  private async readAt(pack: string, offset: number, readBase: ReadBase, depth = 0): Promise<Found> {
    const key = `${pack}:${offset}`;
    const cached = this.bases.get(key);
    if (cached) return cached;
    if (depth > 10_000) throw new InternalError(`delta chain too deep in ${pack}.pack`, { pack });
    const fh = await open(join(this.dir, `${pack}.pack`), 'r');
    let entry: { code: number; size: number; data: Buffer; baseOffset?: number; baseOid?: Oid };
    try {
      entry = await readEntry(fh, offset, pack);
    } finally {
      await fh.close();
    }
    let found: Found;
    if (entry.code === OFS_DELTA || entry.code === REF_DELTA) {
      const base =
        entry.code === OFS_DELTA ? await this.readAt(pack, entry.baseOffset!, readBase, depth + 1) : await readBase(entry.baseOid!);
      if (!base) throw new InternalError(`delta base ${entry.baseOid} of an object in ${pack}.pack is missing`, { pack });
      const b = base.content;
      found = { type: base.type, content: applyDelta(Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength), entry.data) };
      // Cache bases only: a requested object that is itself a base gets cached when read as one.
      if (depth > 0) this.bases.set(key, found, Math.ceil(found.content.length / 1024) + 1);
    } else {
      found = { type: TYPE_NAMES[entry.code]!, content: entry.data };
      if (depth > 0) this.bases.set(key, found, Math.ceil(found.content.length / 1024) + 1);
    }
    return found;
  }
}

function parseIndex(b: Buffer, pack: string): PackIndex {
  if (b.length < 8 + 1024 + 40 || b.readUInt32BE(0) !== 0xff744f63 || b.readUInt32BE(4) !== 2) {
    throw new InternalError(`${pack}.idx is not a version 2 pack index`, { pack });
  }
  const fanout = b.subarray(8, 8 + 1024);
  const count = fanout.readUInt32BE(255 * 4);
  const ids = b.subarray(8 + 1024, 8 + 1024 + count * 20);
  const small = b.subarray(8 + 1024 + count * 24, 8 + 1024 + count * 28);
  const big = b.subarray(8 + 1024 + count * 28, b.length - 40);
  if (small.length !== count * 4) throw new InternalError(`${pack}.idx is truncated`, { pack });
  return { count, fanout, ids, small, big };
}

function lookup(idx: PackIndex, id: Buffer): number | undefined {
  const first = id[0]!;
  let lo = first === 0 ? 0 : idx.fanout.readUInt32BE((first - 1) * 4);
  let hi = idx.fanout.readUInt32BE(first * 4);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = id.compare(idx.ids, mid * 20, mid * 20 + 20);
    if (c === 0) {
      const o = idx.small.readUInt32BE(mid * 4);
      return o & 0x80000000 ? Number(idx.big.readBigUInt64BE((o & 0x7fffffff) * 8)) : o;
    }
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return undefined;
}

type Handle = Awaited<ReturnType<typeof open>>;

/** The entry at `offset`: its type code, its inflated data, and for deltas where the base is. */
async function readEntry(fh: Handle, offset: number, pack: string) {
  const head = Buffer.alloc(32);
  const { bytesRead } = await fh.read(head, 0, 32, offset);
  let i = 0;
  let c = head[i++]!;
  const code = (c >> 4) & 7;
  let size = c & 15;
  let shift = 16;
  while (c & 0x80 && i < bytesRead) {
    c = head[i++]!;
    size += (c & 0x7f) * shift;
    shift *= 128;
  }
  let baseOffset: number | undefined;
  let baseOid: Oid | undefined;
  if (code === OFS_DELTA) {
    // git's offset encoding: each continuation adds one before shifting (no redundant forms).
    c = head[i++]!;
    let rel = c & 0x7f;
    while (c & 0x80) {
      c = head[i++]!;
      rel = (rel + 1) * 128 + (c & 0x7f);
    }
    baseOffset = offset - rel;
  } else if (code === REF_DELTA) {
    baseOid = head.toString('hex', i, i + 20) as Oid;
    i += 20;
  } else if (!TYPE_NAMES[code]) {
    throw new InternalError(`${pack}.pack has an entry of unknown type ${code} at ${offset}`, { pack, offset });
  }
  // The zlib stream's length is not stored; read a window that surely holds it (deflate never
  // grows data by more than this) and let zlib stop at the stream's end.
  let window = size + (size >> 3) + 64;
  for (;;) {
    const buf = Buffer.allocUnsafe(window);
    const got = (await fh.read(buf, 0, window, offset + i)).bytesRead;
    try {
      const data = size <= INLINE_INFLATE_LIMIT ? zlib.inflateSync(buf.subarray(0, got)) : await inflateAsync(buf.subarray(0, got));
      if (data.length !== size) throw new InternalError(`${pack}.pack: entry at ${offset} inflates to ${data.length} bytes, not ${size}`, { pack, offset });
      return { code, size, data, baseOffset, baseOid };
    } catch (err) {
      // A stream cut by our window (never by deflate's own bound, but other writers exist):
      // widen it once, up to the end of the file, before calling the pack corrupt.
      if (got < window || window > size * 4 + 4096) throw new InternalError(`${pack}.pack: entry at ${offset} is corrupt`, { pack, offset }, err);
      window = size * 4 + 8192;
    }
  }
}
