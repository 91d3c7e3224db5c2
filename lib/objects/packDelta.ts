/**
 * Git's delta format (Documentation/gitformat-pack.txt, "Deltified representation"): the
 * sizes of the base and the result as varints, then instructions that copy a range of the
 * base (high bit set; which offset and size bytes follow is in the low seven bits) or insert
 * the next 1–127 bytes of the delta itself.
 */
import { InternalError } from '../errors/index.js';

export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let i = 0;
  const varint = () => {
    let n = 0;
    let shift = 1;
    let c: number;
    do {
      c = delta[i++]!;
      n += (c & 0x7f) * shift;
      shift *= 128;
    } while (c & 0x80 && i < delta.length);
    return n;
  };
  const baseSize = varint();
  if (baseSize !== base.length) throw new InternalError(`delta expects a base of ${baseSize} bytes, got ${base.length}`, {});
  const out = Buffer.allocUnsafe(varint());
  let o = 0;
  while (i < delta.length) {
    const op = delta[i++]!;
    if (op & 0x80) {
      let off = 0;
      let len = 0;
      for (let b = 0; b < 4; b++) if (op & (1 << b)) off += delta[i++]! * 2 ** (8 * b);
      for (let b = 0; b < 3; b++) if (op & (0x10 << b)) len += delta[i++]! * 2 ** (8 * b);
      if (len === 0) len = 0x10000;
      if (off + len > base.length || o + len > out.length) throw new InternalError('delta copies past the end of its base or result', {});
      base.copy(out, o, off, off + len);
      o += len;
    } else if (op !== 0) {
      if (i + op > delta.length || o + op > out.length) throw new InternalError('delta inserts past its end', {});
      delta.copy(out, o, i, i + op);
      i += op;
      o += op;
    } else {
      throw new InternalError('delta has a reserved instruction (0)', {});
    }
  }
  if (o !== out.length) throw new InternalError(`delta produced ${o} bytes, expected ${out.length}`, {});
  return out;
}
