/**
 * Git's packfile (version 2) and pack index (version 2) encodings, byte for byte, for packs of
 * undeltified objects: what git's bulk-checkin writes (Documentation/gitformat-pack.txt;
 * pack-write.c write_idx_file). `git verify-pack` and `git index-pack` in the tests check them.
 *
 * Pack:  "PACK" | version 2 | object count | entries | SHA-1 of everything before.
 * Entry: type and size in a varint (3 type bits, 4 size bits, then 7 bits a byte, little end
 *        first) | the zlib-deflated content (without the `<type> <len>\0` frame).
 * Index: "\377tOc" | version 2 | fan-out (256 cumulative counts) | sorted ids | CRC-32 of each
 *        entry's bytes | 31-bit offsets (high bit: index into the 64-bit table) | 64-bit
 *        offsets | pack checksum | SHA-1 of everything before.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

export const TYPE_CODES = { commit: 1, tree: 2, blob: 3, tag: 4 } as const;
export type PackedType = keyof typeof TYPE_CODES;

/** One object's entry in a pack: header and deflated body. */
export interface PackEntry {
  oid: string;
  /** The entry's bytes (header, then the zlib stream); their CRC-32 goes into the index. */
  chunks: Buffer[];
  length: number;
  crc: number;
}

export function entryHeader(type: PackedType, size: number): Buffer {
  const bytes: number[] = [];
  let c = (TYPE_CODES[type] << 4) | (size & 0x0f);
  // Sizes past 2^31 do not fit JavaScript's 32-bit shifts: divide instead.
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(c | 0x80);
    c = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(c);
  return Buffer.from(bytes);
}

export function packEntry(oid: string, type: PackedType, size: number, deflated: Buffer): PackEntry {
  const header = entryHeader(type, size);
  return { oid, chunks: [header, deflated], length: header.length + deflated.length, crc: zlib.crc32(deflated, zlib.crc32(header)) };
}

/** The pack's 12-byte header. */
export function packHeader(count: number): Buffer {
  const b = Buffer.alloc(12);
  b.write('PACK', 0, 'latin1');
  b.writeUInt32BE(2, 4);
  b.writeUInt32BE(count, 8);
  return b;
}

/** The whole pack as chunks (header, entries, trailer) with each entry's offset and the checksum. */
export function encodePack(entries: readonly PackEntry[]): { chunks: Buffer[]; offsets: number[]; checksum: Buffer } {
  const hash = createHash('sha1');
  const chunks: Buffer[] = [packHeader(entries.length)];
  hash.update(chunks[0]!);
  const offsets: number[] = [];
  let at = 12;
  for (const e of entries) {
    offsets.push(at);
    for (const c of e.chunks) {
      hash.update(c);
      chunks.push(c);
    }
    at += e.length;
  }
  const checksum = hash.digest();
  chunks.push(checksum);
  return { chunks, offsets, checksum };
}

/** The version 2 index of a pack whose entries start at `offsets`. Ids must be distinct. */
export function encodeIndex(entries: readonly PackEntry[], offsets: readonly number[], packChecksum: Buffer): Buffer {
  const order = entries.map((e, i) => ({ id: Buffer.from(e.oid, 'hex'), crc: e.crc, offset: offsets[i]! }));
  order.sort((a, b) => Buffer.compare(a.id, b.id));
  const n = order.length;
  const large = order.filter((o) => o.offset >= 0x80000000).length;
  const out = Buffer.alloc(8 + 256 * 4 + n * 28 + large * 8 + 40);
  out.writeUInt32BE(0xff744f63, 0);
  out.writeUInt32BE(2, 4);
  const fanout = 8;
  const ids = fanout + 256 * 4;
  const crcs = ids + n * 20;
  const small = crcs + n * 4;
  const big = small + n * 4;
  let bigCount = 0;
  order.forEach((o, i) => {
    o.id.copy(out, ids + i * 20);
    out.writeUInt32BE(o.crc >>> 0, crcs + i * 4);
    if (o.offset < 0x80000000) {
      out.writeUInt32BE(o.offset, small + i * 4);
    } else {
      out.writeUInt32BE((0x80000000 | bigCount) >>> 0, small + i * 4);
      out.writeBigUInt64BE(BigInt(o.offset), big + bigCount * 8);
      bigCount++;
    }
  });
  // fan-out[b]: how many ids have a first byte <= b.
  let k = 0;
  for (let b = 0; b < 256; b++) {
    while (k < n && order[k]!.id[0]! <= b) k++;
    out.writeUInt32BE(k, fanout + b * 4);
  }
  const tail = big + bigCount * 8;
  packChecksum.copy(out, tail);
  createHash('sha1').update(out.subarray(0, tail + 20)).digest().copy(out, tail + 20);
  return out;
}
