/** writeCommit over nested document paths, read back through our API and through git. */
import { expect } from 'chai';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Oid } from '../../../lib/types.js';
import type { SiteRepo, TreeChange } from '../../../lib/objects/index.js';
import { git } from '../../helpers/git.js';
import { ada, at, bytes, tempRepo, text } from './setup.js';

/** Commits `changes` on top of refs/heads/main and moves it. */
async function save(repo: SiteRepo, changes: TreeChange[], message: string, seconds: number, ref = 'refs/heads/main'): Promise<Oid> {
  const head = await repo.readRef(ref);
  const baseTree = head ? (await repo.readCommit(head)).tree : undefined;
  const commit = await repo.writeCommit({ parents: head ? [head] : [], baseTree, changes, author: at(seconds), message });
  expect(await repo.casRef(ref, head, commit)).to.deep.equal({ ok: true });
  return commit;
}

describe('objects: commits and trees', () => {
  let ctx: Awaited<ReturnType<typeof tempRepo>>;
  beforeEach(async () => {
    ctx = await tempRepo();
  });
  afterEach(() => ctx.remove());

  it('keeps history that git log, git show and git fsck --strict agree with', async () => {
    const { repo, dir } = ctx;
    const written: Array<{ commit: Oid; message: string }> = [];
    const contents = new Map<string, string>();
    let n = 0;
    for (const type of ['post', 'page', 'prompt']) {
      for (const key of ['hello', 'pricing', 'about-us']) {
        for (const locale of ['en', 'fr', 'pt-BR']) {
          const path = `${type}/${key}/${locale}.json`;
          const body = `{\n  "n": ${n}\n}\n`;
          const blob = await repo.writeBlob(bytes(body));
          const message = `Save ${path}\n\nVerso-Doc: ${type}/${key}/${locale}\nVerso-Version: ${n}`;
          written.push({ commit: await save(repo, [{ path, blob }], message, n), message });
          contents.set(path, body);
          n++;
        }
      }
    }
    // Deletes: one file, then a whole document (its directory must disappear), then a type.
    written.push({ commit: await save(repo, [{ path: 'post/hello/fr.json', blob: null }], 'drop fr', n++), message: 'drop fr' });
    written.push({
      commit: await save(repo, ['en', 'pt-BR'].map((l) => ({ path: `post/hello/${l}.json`, blob: null })), 'drop hello', n++),
      message: 'drop hello',
    });
    written.push({ commit: await save(repo, [{ path: 'prompt', blob: null }], 'drop prompts', n++), message: 'drop prompts' });
    for (const p of [...contents.keys()]) if (p.startsWith('post/hello/') || p.startsWith('prompt/')) contents.delete(p);

    const head = written.at(-1)!.commit;
    const tag = await repo.writeTag({ object: written[3]!.commit, tag: 'post/hello/en/v1.2.0', tagger: at(999), message: 'Changelog\n\n- first release' });
    expect(await repo.casRef('refs/tags/post/hello/en/v1.2.0', undefined, tag)).to.deep.equal({ ok: true });

    expect(git(dir, ['fsck', '--strict', '--no-dangling', '--no-progress'])).to.equal('');
    const log = git(dir, ['log', '--format=%H%n%B%x00', 'main']).split('\0\n').filter(Boolean);
    expect(log.map((entry) => entry.split('\n')[0])).to.deep.equal(written.map((w) => w.commit).reverse());
    expect(log.map((entry) => entry.slice(41).replace(/\n+$/, ''))).to.deep.equal(written.map((w) => w.message).reverse());
    for (const [path, body] of contents) expect(git(dir, ['show', `${head}:${path}`])).to.equal(body);
    expect(git(dir, ['ls-tree', '-d', '--name-only', head, 'post/'])).to.not.include('post/hello');
    expect(git(dir, ['ls-tree', '--name-only', head])).to.equal('page\npost\n');
    expect(git(dir, ['cat-file', '-p', tag])).to.include('tag post/hello/en/v1.2.0\n');
    expect(git(dir, ['describe', '--tags', written[5]!.commit]).trim()).to.match(/^post\/hello\/en\/v1\.2\.0-2-g/);

    const files = await repo.listFiles(head);
    expect(files.map((f) => f.path).sort()).to.deep.equal([...contents.keys()].sort());
    for (const f of files) expect(text(await repo.readBlob(f.blob))).to.equal(contents.get(f.path));
    expect(await repo.readPath(head, 'page/pricing/fr.json')).to.equal(files.find((f) => f.path === 'page/pricing/fr.json')!.blob);
    expect(await repo.readPath(head, 'post/hello/en.json')).to.equal(undefined);
    expect(await repo.readPath(head, 'page/pricing')).to.equal(undefined); // a directory is not a file
  });

  it('matches a model over random saves and deletes (files and whole directories)', async () => {
    const { repo, dir } = ctx;
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const blobs = await Promise.all(['a', 'b', 'c', 'd'].map((s) => repo.writeBlob(bytes(`${s}\n`))));
    const model = new Map<string, Oid>();
    const pick = (xs: string[]) => xs[rand(xs.length)]!;
    let head: Oid | undefined;
    for (let round = 0; round < 25; round++) {
      const changes: TreeChange[] = [];
      for (let k = 0; k < 1 + rand(4); k++) {
        const type = pick(['post', 'page', 'p']);
        const key = pick(['x', 'x-y', 'x.y', 'x0', 'z']);
        const file = `${pick(['en', 'fr', 'de-CH'])}.${pick(['json', 'md'])}`;
        const roll = rand(10);
        if (roll < 6) changes.push({ path: `${type}/${key}/${file}`, blob: blobs[rand(4)]! });
        else if (roll < 8) changes.push({ path: `${type}/${key}/${file}`, blob: null });
        else if (roll < 9) changes.push({ path: `${type}/${key}`, blob: null });
        else changes.push({ path: type, blob: null });
      }
      for (const c of changes) {
        if (c.blob) model.set(c.path, c.blob);
        else for (const p of [...model.keys()]) if (p === c.path || p.startsWith(`${c.path}/`)) model.delete(p);
      }
      head = await save(repo, changes, `round ${round}`, round);
      const files = await repo.listFiles(head);
      expect(Object.fromEntries(files.map((f) => [f.path, f.blob]))).to.deep.equal(Object.fromEntries(model));
    }
    const listing = git(dir, ['ls-tree', '-r', head!]).trim().split('\n').filter(Boolean);
    expect(listing.map((l) => l.split('\t')[1]).sort()).to.deep.equal([...model.keys()].sort());
    expect(git(dir, ['fsck', '--strict', '--no-dangling', '--no-progress'])).to.equal('');
  });

  it('rewrites only the trees on the changed path', async () => {
    const { repo } = ctx;
    const a = await repo.writeBlob(bytes('a\n'));
    const b = await repo.writeBlob(bytes('b\n'));
    const c1 = await save(repo, [{ path: 'post/x/en.md', blob: a }, { path: 'page/y/en.md', blob: a }], 'one', 1);
    const c2 = await save(repo, [{ path: 'post/x/en.md', blob: b }], 'two', 2);
    const t1 = git(ctx.dir, ['ls-tree', c1]);
    const t2 = git(ctx.dir, ['ls-tree', c2]);
    const line = (listing: string, name: string) => listing.split('\n').find((l) => l.endsWith(`\t${name}`));
    expect(line(t1, 'page')).to.equal(line(t2, 'page'));
    expect(line(t1, 'post')).to.not.equal(line(t2, 'post'));
    // A no-op change set gives the same tree.
    const c3 = await save(repo, [{ path: 'post/x/en.md', blob: b }], 'same', 3);
    expect((await repo.readCommit(c3)).tree).to.equal((await repo.readCommit(c2)).tree);
  });

  it('reports changed paths, skipping equal subtrees', async () => {
    const { repo } = ctx;
    const [a, b, c] = await Promise.all(['a\n', 'b\n', 'c\n'].map((s) => repo.writeBlob(bytes(s))));
    const c1 = await save(repo, [{ path: 'post/x/en.md', blob: a! }, { path: 'post/x/fr.md', blob: a! }, { path: 'page/y/en.md', blob: a! }, { path: 'z', blob: a! }], 'one', 1);
    const c2 = await save(repo, [{ path: 'post/x/en.md', blob: b! }, { path: 'post/x/fr.md', blob: null }, { path: 'post/w/de.md', blob: c! }, { path: 'z', blob: null }, { path: 'z/q.md', blob: c! }], 'two', 2);
    expect(await repo.changedPaths(c1, c2)).to.deep.equal([
      { path: 'post/w/de.md', after: c },
      { path: 'post/x/en.md', before: a, after: b },
      { path: 'post/x/fr.md', before: a },
      { path: 'z', before: a },
      { path: 'z/q.md', after: c },
    ]);
    expect((await repo.changedPaths(undefined, c1)).map((p) => p.path)).to.deep.equal(['page/y/en.md', 'post/x/en.md', 'post/x/fr.md', 'z']);
    expect(await repo.changedPaths(c2, c2)).to.deep.equal([]);
    const diff = git(ctx.dir, ['diff', '--name-only', c1, c2]).trim().split('\n');
    expect(diff.sort()).to.deep.equal((await repo.changedPaths(c1, c2)).map((p) => p.path).sort());
  });

  it('refuses invalid paths, identities and file/directory clashes before writing', async () => {
    const { repo } = ctx;
    const blob = await repo.writeBlob(bytes('x'));
    const head = await save(repo, [{ path: 'post/a/en.md', blob }], 'one', 1);
    const base = (await repo.readCommit(head)).tree;
    const attempt = (changes: TreeChange[], author = ada) => repo.writeCommit({ parents: [head], baseTree: base, changes, author, message: 'x' });
    for (const path of ['', '/a', 'a//b', 'a/', '../x', 'a/./b', '.git/config', 'a/.GIT']) {
      await expectCode(attempt([{ path, blob }]), 'invalid_input');
    }
    await expectCode(attempt([{ path: 'post/a', blob }]), 'invalid_input'); // a directory is there
    await expectCode(attempt([{ path: 'post/a/en.md/x', blob }]), 'invalid_input'); // a file is there
    await expectCode(attempt([{ path: 'q', blob }, { path: 'q/r', blob }]), 'invalid_input');
    await expectCode(attempt([{ path: 'ok', blob: 'nope' as Oid }]), 'invalid_input');
    await expectCode(attempt([{ path: 'ok', blob }], { ...ada, name: 'Eve <evil>' }), 'invalid_input');
    await expectCode(attempt([{ path: 'ok', blob }], { ...ada, email: 'a\nb' }), 'invalid_input');
    // Deleting below a file, or a path that is not there, is a no-op rather than an error.
    const same = await attempt([{ path: 'post/a/en.md/x', blob: null }, { path: 'nothing/here', blob: null }]);
    expect((await repo.readCommit(same)).tree).to.equal(base);
  });

  it('deleting everything leaves the empty tree, which git accepts', async () => {
    const { repo, dir } = ctx;
    const blob = await repo.writeBlob(bytes('x'));
    await save(repo, [{ path: 'post/a/en.md', blob }], 'one', 1);
    const empty = await save(repo, [{ path: 'post/a/en.md', blob: null }], 'gone', 2);
    expect((await repo.readCommit(empty)).tree).to.equal('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
    expect(await repo.listFiles(empty)).to.deep.equal([]);
    expect(git(dir, ['fsck', '--strict', '--no-dangling', '--no-progress'])).to.equal('');
  });

  it('throws NotFoundError for missing objects and objects of another type', async () => {
    const { repo } = ctx;
    const blob = await repo.writeBlob(bytes('x'));
    await expectCode(repo.readBlob('0123456789012345678901234567890123456789' as Oid), 'not_found');
    await expectCode(repo.readCommit(blob), 'not_found');
    await expectCode(repo.readBlob('xyz' as Oid), 'invalid_input');
  });

  it('saves into a directory of 10k documents without re-reading its tree', async function () {
    this.timeout(30000);
    const { repo } = ctx;
    const blob = await repo.writeBlob(bytes('{}\n'));
    const changes = Array.from({ length: 10_000 }, (_, i) => ({ path: `post/doc-${i}/en.json`, blob }));
    let head = await save(repo, changes, 'bulk', 1);
    // Proof that saves use the parsed tree from memory: hide the 10k-entry tree object on disk.
    const postTree = git(ctx.dir, ['rev-parse', `${head}:post`]).trim();
    renameSync(join(ctx.dir, 'objects', postTree.slice(0, 2), postTree.slice(2)), join(ctx.dir, 'hidden'));
    const first = performance.now();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const b = await repo.writeBlob(bytes(`{"v":${i}}\n`));
      const t = performance.now();
      head = await save(repo, [{ path: `post/doc-${i * 7}/en.json`, blob: b }], `edit ${i}`, 2 + i);
      times.push(performance.now() - t);
    }
    expect(performance.now() - first).to.be.lessThan(5000);
    renameSync(join(ctx.dir, 'hidden'), join(ctx.dir, 'objects', postTree.slice(0, 2), postTree.slice(2)));
    expect((await repo.listFiles(head)).length).to.equal(10_000);
    // Reported, not asserted: disk speed varies.
    console.log(`      save into a 10k-entry directory: ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
  });
});

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect((err as { code?: string }).code, String(err)).to.equal(code);
    return;
  }
  expect.fail(`expected an error with code ${code}`);
}
