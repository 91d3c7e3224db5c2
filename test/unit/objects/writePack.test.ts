/**
 * The per-batch pack writer (lib/objects/writePack.ts, packFormat.ts): what it writes is a pack
 * git itself accepts (verify-pack, and index-pack rebuilds the very same index), every object
 * reads back through isomorphic-git, our readers and `git cat-file`, and a crash between the
 * pack and its index leaves nothing any reader sees.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { copyFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readObject } from 'isomorphic-git';
import { openSiteRepo } from '../../../lib/objects/index.js';
import { createContext } from '../../../lib/objects/context.js';
import { frameObject, type FramedObject } from '../../../lib/objects/gitObject.js';
import { entryHeader, encodeIndex, type PackEntry } from '../../../lib/objects/packFormat.js';
import { listPacks, removeOrphanPacks } from '../../../lib/objects/packFiles.js';
import { readAny } from '../../../lib/objects/readObject.js';
import { writePack } from '../../../lib/objects/writePack.js';
import { git, gitEnv } from '../../helpers/git.js';
import { ada, at, bytes, tempRepo, text } from './setup.js';

const packFiles = (dir: string) => readdirSync(join(dir, 'objects/pack')).sort();

/** A blob past the 64 KB inline limit, a big tree (stored, level 0), a commit: each code path. */
function sampleObjects(): FramedObject[] {
  const small = frameObject('blob', bytes('hello\n'));
  const big = frameObject('blob', Buffer.from('lorem ipsum dolor sit amet\n'.repeat(20_000)));
  const entries: Buffer[] = [];
  for (let i = 0; i < 3000; i++) entries.push(Buffer.concat([Buffer.from(`100644 f${String(i).padStart(5, '0')}.md\0`), Buffer.from(small.oid, 'hex')]));
  const tree = frameObject('tree', Buffer.concat(entries));
  const commit = frameObject('commit', bytes(`tree ${tree.oid}\nauthor Ada <ada@example.com> 1700000000 +0000\ncommitter Ada <ada@example.com> 1700000000 +0000\n\nbig\n`));
  return [small, big, tree, commit];
}

describe('objects: one pack per batch', () => {
  let ctx: Awaited<ReturnType<typeof tempRepo>>;
  beforeEach(async () => {
    ctx = await tempRepo();
  });
  afterEach(() => ctx.remove());

  it('writes a pack and v2 index that git verifies and rebuilds byte for byte', async () => {
    const c = createContext({ gitdir: ctx.dir });
    const objects = sampleObjects();
    const name = (await writePack(c, objects))!;
    await c.dirSync.flush();
    expect(packFiles(ctx.dir)).to.deep.equal([`${name}.idx`, `${name}.pack`]);
    const pack = join(ctx.dir, 'objects/pack', `${name}.pack`);
    const verify = git(ctx.dir, ['verify-pack', '-v', pack.replace(/\.pack$/, '.idx')]);
    expect(verify).to.include('non delta: 4 objects').and.include(': ok');
    for (const o of objects) expect(verify).to.include(o.oid);
    // index-pack reads the pack alone (checking every entry's zlib stream, size and id) and
    // writes its own index: ours must be the same bytes, CRCs and fan-out included.
    const rebuilt = join(ctx.dir, 'rebuilt.idx');
    git(ctx.dir, ['index-pack', '-o', rebuilt, pack]);
    expect(readFileSync(rebuilt).equals(readFileSync(pack.replace(/\.pack$/, '.idx')))).to.equal(true);
    await unlink(rebuilt);
    // The pack's name is its checksum (its last 20 bytes), as git names packs.
    expect(name).to.equal(`pack-${readFileSync(pack).subarray(-20).toString('hex')}`);
    for (const o of objects) {
      const body = o.framed.subarray(o.framed.indexOf(0) + 1);
      const type = o.framed.toString('latin1', 0, o.framed.indexOf(0x20));
      expect(git(ctx.dir, ['cat-file', '-t', o.oid]).trim()).to.equal(type);
      expect(execFileSync('git', ['--git-dir', ctx.dir, 'cat-file', type, o.oid], { env: gitEnv(), maxBuffer: 1 << 26 }).equals(body)).to.equal(true);
      const iso = await readObject({ fs: c.fs, gitdir: ctx.dir, oid: o.oid, cache: c.cache, format: 'content' });
      expect(Buffer.from(iso.object as Uint8Array).equals(body)).to.equal(true);
      expect(Buffer.from((await readAny(c, o.oid)).content).equals(body)).to.equal(true);
    }
  });

  it('encodes sizes past 4 GiB in the entry header and offsets past 2 GiB in the 64-bit table', () => {
    // git's varint: 4 size bits beside the type, then 7 bits a byte, least significant first.
    expect([...entryHeader('blob', 15)]).to.deep.equal([0x3f]);
    expect([...entryHeader('commit', 16)]).to.deep.equal([0x90, 0x01]);
    expect([...entryHeader('blob', 2 ** 33 + 5)]).to.deep.equal([0xb5, 0x80, 0x80, 0x80, 0x80, 0x02]);
    const e = (oid: string): PackEntry => ({ oid, chunks: [], length: 0, crc: 0xdeadbeef });
    const idx = encodeIndex([e('ff'.repeat(20)), e('01'.repeat(20))], [0x80000005, 12], Buffer.alloc(20, 7));
    const n = 2;
    const offsets = 8 + 1024 + n * 24;
    expect(idx.readUInt32BE(8 + 255 * 4)).to.equal(2);
    expect(idx.readUInt32BE(8)).to.equal(0); // no id starts with 00
    expect(idx.readUInt32BE(8 + 4)).to.equal(1); // 01…
    expect(idx.readUInt32BE(offsets)).to.equal(12); // sorted: 01… first
    expect(idx.readUInt32BE(offsets + 4)).to.equal(0x80000000); // ff…: entry 0 of the big table
    expect(idx.readBigUInt64BE(offsets + 8)).to.equal(0x80000005n);
    expect(idx.length).to.equal(offsets + 8 + 8 + 40);
  });

  it('saves through the commit queue land as packs, not loose objects, and read back everywhere', async () => {
    const { repo, dir } = ctx;
    for (let i = 0; i < 3; i++) {
      const content = bytes(`version ${i}\n`);
      await repo.commitOnRef({ ref: 'refs/heads/main', changes: [{ path: `page/p${i % 2}/en.txt`, blob: repo.hashBlob(content) }], blobs: [content], author: at(i), message: `save ${i}` });
      // The same handle and a fresh one (another gateway) see the save at once.
      for (const r of [repo, openSiteRepo({ dir })]) {
        const head = (await r.readRef('refs/heads/main'))!;
        expect((await r.readCommit(head)).message).to.equal(`save ${i}\n`);
        expect(text(await r.readBlob((await r.readPath(head, `page/p${i % 2}/en.txt`))!))).to.equal(`version ${i}\n`);
      }
      expect(git(dir, ['cat-file', '-p', `main:page/p${i % 2}/en.txt`])).to.equal(`version ${i}\n`);
    }
    expect(readdirSync(join(dir, 'objects')).filter((d) => /^[0-9a-f]{2}$/.test(d))).to.deep.equal([]);
    expect((await listPacks(createContext({ gitdir: dir }))).map((p) => p.objects)).to.deep.equal([5, 5, 5]) // blob, three trees, commit;
    expect(git(dir, ['fsck', '--strict', '--no-progress'])).to.equal('');
  });

  it('a crash between the pack and its index leaves nothing visible; old leftovers are removed', async () => {
    const { repo, dir } = ctx;
    const c = createContext({ gitdir: dir });
    await repo.commitOnRef({ ref: 'refs/heads/main', changes: [{ path: 'a/b/c.txt', blob: repo.hashBlob(bytes('kept\n')) }], blobs: [bytes('kept\n')], author: ada, message: 'kept' });
    // A batch that died after renaming its pack: the index never came, the ref never moved.
    const lost = frameObject('blob', bytes('never referenced\n'));
    const name = (await writePack(c, [lost]))!;
    await unlink(join(dir, 'objects/pack', `${name}.idx`));
    // And one that died before either rename (its temp files), plus their copies kept fresh.
    const tmpPack = join(dir, 'objects/pack/tmp_pack_0123456789abcdef');
    await copyFile(join(dir, 'objects/pack', `${name}.pack`), tmpPack);
    writeFileSync(join(dir, 'objects/pack/tmp_idx_0123456789abcdef'), 'half');
    writeFileSync(join(dir, 'objects/pack/tmp_idx_fresh0000000000'), 'half');

    // Opening the repository again: it works, readers ignore the orphan, fsck is clean.
    const reopened = openSiteRepo({ dir });
    await reopened.init();
    const err = await readAny(createContext({ gitdir: dir }), lost.oid).then(() => undefined, (e: unknown) => e);
    expect((err as { code?: string }).code).to.equal('not_found');
    await reopened.commitOnRef({ ref: 'refs/heads/main', changes: [{ path: 'a/b/d.txt', blob: reopened.hashBlob(bytes('after\n')) }], blobs: [bytes('after\n')], author: at(1), message: 'after' });
    expect(git(dir, ['fsck', '--strict', '--no-progress'])).to.equal('');
    expect(git(dir, ['cat-file', '-p', 'main:a/b/c.txt'])).to.equal('kept\n');
    expect((await listPacks(c)).length).to.equal(2);

    // Recent leftovers may belong to a writer still at work: kept. Old ones go.
    expect(await removeOrphanPacks(c)).to.deep.equal([]);
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const f of [`${name}.pack`, 'tmp_pack_0123456789abcdef', 'tmp_idx_0123456789abcdef']) utimesSync(join(dir, 'objects/pack', f), old, old);
    expect((await removeOrphanPacks(c)).sort()).to.deep.equal([`${name}.pack`, 'tmp_idx_0123456789abcdef', 'tmp_pack_0123456789abcdef']);
    expect(packFiles(dir).filter((f) => !f.startsWith('pack-'))).to.deep.equal(['tmp_idx_fresh0000000000']);
    expect(packFiles(dir).filter((f) => f.startsWith('pack-'))).to.have.length(4); // two packs, each .pack + .idx
    expect(git(dir, ['fsck', '--strict', '--no-progress'])).to.equal('');
  });
});
