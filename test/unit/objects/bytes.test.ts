/** Our direct writer produces exactly git's objects: same ids, same uncompressed bytes. */
import { expect } from 'chai';
import { readFileSync, truncateSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { Oid } from '../../../lib/types.js';
import { git } from '../../helpers/git.js';
import { ada, at, bytes, tempRepo, text } from './setup.js';

function loose(dir: string, oid: string): Buffer {
  return inflateSync(readFileSync(join(dir, 'objects', oid.slice(0, 2), oid.slice(2))));
}

describe('objects: bytes identical to git', () => {
  let ctx: Awaited<ReturnType<typeof tempRepo>>;
  before(async () => {
    ctx = await tempRepo();
  });
  after(() => ctx.remove());

  it('writes blobs with the id and bytes of git hash-object -w', async () => {
    for (const content of ['', 'hello\n', '{\n  "a": 1\n}\n', 'ünïcødé 😀\n', 'x'.repeat(200_000)]) {
      const oid = await ctx.repo.writeBlob(bytes(content));
      expect(oid).to.equal(ctx.repo.hashBlob(bytes(content)));
      const gitOid = git(ctx.dir, ['hash-object', '-w', '--stdin'], { input: content }).trim();
      expect(oid).to.equal(gitOid);
      expect(loose(ctx.dir, oid).equals(Buffer.concat([Buffer.from(`blob ${Buffer.byteLength(content)}\0`), Buffer.from(content)]))).to.equal(true);
      expect(git(ctx.dir, ['cat-file', '-p', oid])).to.equal(content);
      expect(text(await ctx.repo.readBlob(oid))).to.equal(content);
    }
  });

  it('writes trees in git order, equal to git mktree (names that sort differently as trees)', async () => {
    const blob = await ctx.repo.writeBlob(bytes('x\n'));
    // 'a' as a directory sorts as 'a/', after 'a.b' and 'a-b' but before 'a0'; non-ASCII names
    // sort by UTF-8 bytes (U+FF5A before U+1F600 although its UTF-16 code unit is larger).
    const paths = ['a/x.json', 'a.b', 'a-b', 'a0', 'ab/c/d.md', 'é.txt', 'ｚ.txt', '😀.txt', 'Z', 'post/k/en.json'];
    const commit = await ctx.repo.writeCommit({ parents: [], changes: paths.map((path) => ({ path, blob })), author: ada, message: 'order' });
    const info = await ctx.repo.readCommit(commit);
    const listing = git(ctx.dir, ['ls-tree', info.tree]);
    expect(git(ctx.dir, ['mktree'], { input: listing }).trim()).to.equal(info.tree);
    expect(git(ctx.dir, ['ls-tree', '-r', '--name-only', '-z', commit]).split('\0').filter(Boolean).sort()).to.deep.equal([...paths].sort());
    expect(git(ctx.dir, ['fsck', '--strict', '--no-dangling'])).to.equal('');
  });

  it('writes commits equal to git commit-tree with the same tree, parents, identities and message', async () => {
    const blob = await ctx.repo.writeBlob(bytes('v1\n'));
    const first = await ctx.repo.writeCommit({ parents: [], changes: [{ path: 'post/a/en.md', blob }], author: ada, message: 'First\n\nVerso-Doc: post/a/en\nVerso-Version: 1' });
    const committer = { name: 'Bot', email: 'bot@example.com', timestamp: 1700000123, timezoneOffset: 330 };
    const second = await ctx.repo.writeCommit({ parents: [first], baseTree: (await ctx.repo.readCommit(first)).tree, changes: [{ path: 'post/b/fr.md', blob }], author: at(60), committer, message: 'Second\n' });
    const info = await ctx.repo.readCommit(second);
    const viaGit = git(ctx.dir, ['commit-tree', info.tree, '-p', first], {
      input: 'Second\n',
      env: {
        GIT_AUTHOR_NAME: ada.name, GIT_AUTHOR_EMAIL: ada.email, GIT_AUTHOR_DATE: `@${ada.timestamp + 60} +0200`,
        GIT_COMMITTER_NAME: 'Bot', GIT_COMMITTER_EMAIL: 'bot@example.com', GIT_COMMITTER_DATE: '@1700000123 -0530',
      },
    }).trim();
    expect(second).to.equal(viaGit);
    expect(info.parents).to.deep.equal([first]);
    expect(info.committer).to.deep.equal(committer);
    expect(info.author).to.deep.equal(at(60));
    const raw = git(ctx.dir, ['cat-file', '-p', first]);
    expect(raw).to.match(/^tree [0-9a-f]{40}\nauthor Ada Lovelace <ada@example.com> 1700000000 \+0200\ncommitter Ada Lovelace/);
    expect(raw.endsWith('\n\nFirst\n\nVerso-Doc: post/a/en\nVerso-Version: 1\n')).to.equal(true);
  });

  it('rewrites a truncated loose object instead of trusting it', async () => {
    const content = bytes('important content\n'.repeat(100));
    const oid = await ctx.repo.writeBlob(content);
    const file = join(ctx.dir, 'objects', oid.slice(0, 2), oid.slice(2));
    truncateSync(file, 10);
    expect(await ctx.repo.writeBlob(content)).to.equal(oid);
    expect(statSync(file).size).to.be.greaterThan(10);
    expect(git(ctx.dir, ['cat-file', '-p', oid])).to.equal(text(content));
    // Garbage of the right length is caught too.
    chmodSync(file, 0o644);
    writeFileSync(file, Buffer.alloc(statSync(file).size, 7));
    await ctx.repo.writeBlob(content);
    expect(git(ctx.dir, ['cat-file', '-p', oid])).to.equal(text(content));
  });

  it('leaves an intact existing object alone', async () => {
    const oid = await ctx.repo.writeBlob(bytes('same\n'));
    const file = join(ctx.dir, 'objects', oid.slice(0, 2), oid.slice(2));
    const before = statSync(file);
    await ctx.repo.writeBlob(bytes('same\n'));
    expect(statSync(file).ino).to.equal(before.ino);
  });

  it('reads objects git wrote', async () => {
    const oid = git(ctx.dir, ['hash-object', '-w', '--stdin'], { input: 'from git\n' }).trim() as Oid;
    expect(text(await ctx.repo.readBlob(oid))).to.equal('from git\n');
  });
});
