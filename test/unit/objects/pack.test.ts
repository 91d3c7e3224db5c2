/** Packing: fewer loose files, same answers, before and after, from the same handle. */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Oid } from '../../../lib/types.js';
import { openSiteRepo, type SiteRepo } from '../../../lib/objects/index.js';
import { createContext } from '../../../lib/objects/context.js';
import { looseObjectIds, packWithIsomorphicGit } from '../../../lib/objects/pack.js';
import { git } from '../../helpers/git.js';
import { at, bytes, tempRepo, text } from './setup.js';

async function history(repo: SiteRepo, n: number): Promise<{ head: Oid; blobs: Map<string, Oid>; dangling: Oid }> {
  let head: Oid | undefined;
  const blobs = new Map<string, Oid>();
  for (let i = 0; i < n; i++) {
    const path = `post/doc-${i % 4}/en.json`;
    const blob = await repo.writeBlob(bytes(`{\n  "body": "${'lorem ipsum '.repeat(50)}",\n  "v": ${i}\n}\n`));
    blobs.set(path, blob);
    const baseTree = head ? (await repo.readCommit(head)).tree : undefined;
    const next = await repo.writeCommit({ parents: head ? [head] : [], baseTree, changes: [{ path, blob }], author: at(i), message: `v${i}` });
    await repo.casRef('refs/heads/main', head, next);
    head = next;
  }
  const tag = await repo.writeTag({ object: head!, tag: 'post/doc-0/en/v1.0.0', tagger: at(n), message: 'release' });
  await repo.casRef('refs/tags/post/doc-0/en/v1.0.0', undefined, tag);
  // Written but not yet referenced, like a save between its object writes and its ref move.
  const orphanBlob = await repo.writeBlob(bytes('in flight\n'));
  const dangling = await repo.writeCommit({ parents: [head!], baseTree: (await repo.readCommit(head!)).tree, changes: [{ path: 'x/y/z.md', blob: orphanBlob }], author: at(n + 1), message: 'in flight' });
  return { head: head!, blobs, dangling };
}

async function expectReadable(repo: SiteRepo, h: Awaited<ReturnType<typeof history>>): Promise<void> {
  for (const [path, blob] of h.blobs) {
    expect(await repo.readPath(h.head, path)).to.equal(blob);
    expect(text(await repo.readBlob(blob))).to.include('lorem ipsum');
  }
  expect((await repo.readCommit(h.head)).message).to.match(/^v\d+\n$/);
  expect(await repo.readPath(h.dangling, 'x/y/z.md')).to.be.a('string');
  expect(await repo.expandOid(h.head.slice(0, 8))).to.equal(h.head);
  expect((await repo.listFiles(h.head)).length).to.equal(4);
  let count = 0;
  for await (const c of repo.walk(h.head)) count += c ? 1 : 0;
  expect(count).to.equal(12);
}

describe('objects: pack', () => {
  let ctx: Awaited<ReturnType<typeof tempRepo>>;
  beforeEach(async () => {
    // History is written without fsync for speed; the isomorphic-git packer below runs with
    // its own fsync-enabled context.
    ctx = await tempRepo({ fsyncEnabled: false });
  });
  afterEach(() => ctx.remove());

  it('packs with git gc: reachable loose objects go, everything stays readable, in-flight objects too', async () => {
    const { repo, dir } = ctx;
    const h = await history(repo, 12);
    await expectReadable(repo, h); // warms the handle's caches on loose objects
    const looseBefore = (await looseObjectIds(createContext({ gitdir: dir }))).length;
    const { packed } = await repo.pack();
    const looseAfter = (await looseObjectIds(createContext({ gitdir: dir }))).length;
    expect(looseAfter).to.be.lessThan(looseBefore);
    // The in-flight commit (blob, three trees, commit) is recent and unreachable: git gc keeps
    // it loose rather than pruning it.
    expect(looseAfter).to.equal(5);
    expect(packed).to.equal(looseBefore - 5);
    expect(readdirSync(join(dir, 'objects/pack')).some((f) => f.endsWith('.idx'))).to.equal(true);
    await expectReadable(repo, h);
    await expectReadable(openSiteRepo({ dir }), h);
    expect(git(dir, ['fsck', '--strict', '--no-dangling', '--no-progress'])).to.equal('');

    // Writing after packing, and packing again (the old pack is replaced), still reads.
    const more = await history(repo, 12);
    await repo.pack();
    await expectReadable(repo, more);
    // The in-flight objects (written, not yet reachable) stay loose on purpose: git prunes only old ones.
    expect(await repo.pack()).to.deep.equal({ packed: 0, loose: 5 });
    expect(await repo.readRef('refs/heads/main')).to.equal(more.head); // gc packed the refs too
  });

  it('packs without the git CLI through isomorphic-git (no deltas, still valid)', async () => {
    const { repo, dir } = ctx;
    const h = await history(repo, 12);
    const c = createContext({ gitdir: dir });
    const loose = await looseObjectIds(c);
    await packWithIsomorphicGit(c, loose);
    expect(await looseObjectIds(c)).to.deep.equal([]);
    await expectReadable(repo, h);
    await expectReadable(openSiteRepo({ dir }), h);
    expect(git(dir, ['fsck', '--strict', '--no-dangling', '--no-progress'])).to.equal('');
    const idx = readdirSync(join(dir, 'objects/pack')).find((f) => f.endsWith('.idx'))!;
    expect(git(dir, ['verify-pack', '-v', join(dir, 'objects/pack', idx)])).to.include(': ok');
  });
});
