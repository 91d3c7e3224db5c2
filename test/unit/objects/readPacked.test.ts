/**
 * Our pack reader (lib/objects/readPacked.ts, packDelta.ts) on packs git wrote: every object
 * of a repository repacked with offset deltas and with reference deltas reads back exactly as
 * `git cat-file` prints it, a pack that appears after the first listing is found, and a damaged
 * pack is reported, never returned, and concurrent readers find an object while the pack
 * holding it is replaced under them again and again, as repacks do.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext } from '../../../lib/objects/context.js';
import { readAny } from '../../../lib/objects/readObject.js';
import type { Oid } from '../../../lib/types.js';
import { git, gitEnv } from '../../helpers/git.js';
import { at, bytes, tempRepo } from './setup.js';

const catFile = (dir: string, type: string, oid: string) => execFileSync('git', ['--git-dir', dir, 'cat-file', type, oid], { env: gitEnv(), maxBuffer: 1 << 26 });

describe('objects: reading packs', () => {
  let ctx: Awaited<ReturnType<typeof tempRepo>>;
  beforeEach(async () => {
    ctx = await tempRepo({ fsyncEnabled: false });
  });
  afterEach(() => ctx.remove());

  async function history(n: number): Promise<void> {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} of a long page that changes a little each time`);
    for (let v = 0; v < n; v++) {
      lines[(v * 37) % lines.length] = `edited in version ${v}`;
      const content = bytes(lines.join('\n') + '\n');
      await ctx.repo.commitOnRef({ ref: 'refs/heads/main', changes: [{ path: `page/p${v % 3}/en.md`, blob: ctx.repo.hashBlob(content) }], blobs: [content], author: at(v), message: `v${v}` });
    }
  }

  function expectAllReadable(withDeltas: RegExp): Promise<void[]> {
    const dir = ctx.dir;
    const idx = readdirSync(join(dir, 'objects/pack')).filter((f) => f.endsWith('.idx'));
    expect(idx).to.have.length(1);
    const verify = git(dir, ['verify-pack', '-v', join(dir, 'objects/pack', idx[0]!)]);
    expect(verify).to.match(withDeltas);
    const objects = verify.split('\n').filter((l) => /^[0-9a-f]{40} /.test(l)).map((l) => l.split(' ').filter(Boolean) as [Oid, string]);
    expect(objects.length).to.be.greaterThan(100);
    const fresh = createContext({ gitdir: dir }); // nothing cached: every delta chain from disk
    return Promise.all(
      objects.map(async ([oid, type]) => {
        const got = await readAny(fresh, oid);
        expect(got.type).to.equal(type);
        expect(Buffer.from(got.content).equals(catFile(dir, type, oid))).to.equal(true, `${type} ${oid}`);
      }),
    );
  }

  /** The type bits of every entry of the one pack (6: offset delta, 7: reference delta). */
  function entryTypes(): Set<number> {
    const packDir = join(ctx.dir, 'objects/pack');
    const idx = readdirSync(packDir).find((f) => f.endsWith('.idx'))!;
    const pack = readFileSync(join(packDir, idx.replace('.idx', '.pack')));
    const lines = git(ctx.dir, ['verify-pack', '-v', join(packDir, idx)]).split('\n').filter((l) => /^[0-9a-f]{40} /.test(l));
    return new Set(lines.map((l) => (pack[Number(l.split(/\s+/)[4])]! >> 4) & 7));
  }

  it('reads every object of a pack with offset deltas (git repack)', async () => {
    await history(60);
    git(ctx.dir, ['repack', '-a', '-d', '-f', '-q']);
    expect(entryTypes()).to.include(6).and.not.include(7);
    await expectAllReadable(/^chain length = [2-9]\d*: /m);
  });

  it('reads every object of a pack with reference deltas (no delta-base offsets)', async () => {
    await history(60);
    git(ctx.dir, ['-c', 'repack.useDeltaBaseOffset=false', 'repack', '-a', '-d', '-f', '-q']);
    expect(entryTypes()).to.include(7).and.not.include(6);
    await expectAllReadable(/^chain length = [2-9]\d*: /m);
  });

  it('finds a pack written after its first listing, knows the empty tree, and reports a damaged pack', async () => {
    await history(3);
    const c = createContext({ gitdir: ctx.dir });
    const head = (await ctx.repo.readRef('refs/heads/main'))!;
    await readAny(c, head); // lists objects/pack now
    // The empty tree is always there for git, stored or not; an unknown id is not found.
    expect(await readAny(c, '4b825dc642cb6eb9a060e54bf8d69288fbee4904' as Oid)).to.deep.equal({ type: 'tree', content: new Uint8Array(0) });
    expect(((await readAny(c, 'f'.repeat(40) as Oid).catch((e: unknown) => e)) as { code?: string }).code).to.equal('not_found');
    await history(1); // a new pack, renamed in after that listing
    const next = (await ctx.repo.readRef('refs/heads/main'))!;
    expect((await readAny(c, next)).type).to.equal('commit');
    // Flip a byte inside the newest pack's commit entry: the read fails, loudly.
    const packDir = join(ctx.dir, 'objects/pack');
    const newest = readdirSync(packDir).filter((f) => f.endsWith('.idx')).find((f) => git(ctx.dir, ['verify-pack', '-v', join(packDir, f)]).includes(next))!;
    const packPath = join(packDir, newest.replace('.idx', '.pack'));
    const offset = Number(git(ctx.dir, ['verify-pack', '-v', join(packDir, newest)]).split('\n').find((l) => l.startsWith(next))!.trim().split(/\s+/).pop());
    const damaged = readFileSync(packPath);
    damaged[offset + 8] = damaged[offset + 8]! ^ 0xff;
    chmodSync(packPath, 0o644);
    writeFileSync(packPath, damaged);
    const err = await readAny(createContext({ gitdir: ctx.dir }), next).then(() => undefined, (e: unknown) => e);
    expect((err as { code?: string }).code).to.equal('internal');
  });

  it('finds an object while repacks replace the pack holding it under many concurrent readers', async () => {
    await history(2);
    const head = (await ctx.repo.readRef('refs/heads/main'))!;
    const tree = git(ctx.dir, ['rev-parse', `${head}^{tree}`]).trim() as Oid;
    // Two packs that both hold the tree (another object makes their names differ), kept aside.
    const packDir = join(ctx.dir, 'objects/pack');
    const spare = join(ctx.dir, 'spare');
    mkdirSync(spare);
    const names = [[tree], [tree, head]].map((ids) => execFileSync('git', ['--git-dir', ctx.dir, 'pack-objects', '-q', join(spare, 'pack')], { input: ids.join('\n') + '\n', env: gitEnv() }).toString().trim());
    for (const f of readdirSync(packDir)) renameSync(join(packDir, f), join(spare, `old-${f}`)); // only the two remain in play
    const put = (name: string) => ['pack', 'idx'].forEach((ext) => linkSync(join(spare, `pack-${name}.${ext}`), join(packDir, `pack-${name}.${ext}`)));
    const drop = (name: string) => ['pack', 'idx'].forEach((ext) => unlinkSync(join(packDir, `pack-${name}.${ext}`)));
    put(names[0]!);
    const c = createContext({ gitdir: ctx.dir });
    let swaps = 0;
    let reading = true;
    // As git repack does: the new pack is in place before the old one goes, so some pack always holds it.
    const repacks = (async () => {
      for (let live = 0; reading; live = 1 - live, swaps++) {
        // A few ms apart: a real repack takes far longer between its steps.
        put(names[1 - live]!);
        await new Promise((r) => setTimeout(r, 3));
        drop(names[live]!);
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    const readers = Array.from({ length: 16 }, async () => {
      for (let i = 0; i < 60; i++) expect((await readAny(c, tree)).type).to.equal('tree');
    });
    try {
      await Promise.all(readers);
    } finally {
      reading = false;
      await repacks;
    }
    expect(swaps).to.be.greaterThan(10);
  });
});
