/**
 * Group commit (lib/objects/commitQueue.ts): concurrent commitOnRef calls in one process share
 * ref updates, yet every commit keeps its own author and message, stays reachable in arrival
 * order, and a refusal or an outside writer affects no other commit.
 */
import { expect } from 'chai';
import { ConflictError } from '../../../lib/errors/index.js';
import type { Oid } from '../../../lib/types.js';
import { openSiteRepo } from '../../../lib/objects/index.js';
import { git } from '../../helpers/git.js';
import { ada, at, bytes, tempRepo, text } from './setup.js';

describe('objects: group commit on one ref', () => {
  let ctx: Awaited<ReturnType<typeof tempRepo>>;
  beforeEach(async () => {
    ctx = await tempRepo();
  });
  afterEach(() => ctx.remove());

  it('chains concurrent commits, each with its own author, message and blob, in one history', async () => {
    const { repo, dir } = ctx;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const content = bytes(`doc ${i}\n`);
        return repo.commitOnRef({
          ref: 'refs/heads/main',
          changes: [{ path: `page/p${i}/en.txt`, blob: repo.hashBlob(content) }],
          blobs: [content],
          author: { ...at(i), name: `Writer ${i}` },
          message: `save ${i}`,
        });
      }),
    );
    const head = await repo.readRef('refs/heads/main');
    // Linear: each result's parent is the previous result (or nothing for the first).
    const byParent = new Map(results.map((r) => [r.parent ?? 'root', r.commit]));
    let cur: Oid | undefined = byParent.get('root');
    const order: Oid[] = [];
    while (cur) {
      order.push(cur);
      cur = byParent.get(cur);
    }
    expect(order).to.have.length(12);
    expect(order[11]).to.equal(head);
    for (const [i, r] of results.entries()) {
      const c = await repo.readCommit(r.commit);
      expect(c.author.name).to.equal(`Writer ${i}`);
      expect(c.message).to.equal(`save ${i}\n`);
      expect(await repo.readPath(r.commit, `page/p${i}/en.txt`)).to.be.a('string');
    }
    expect((await repo.listFiles(head!)).map((f) => f.path)).to.have.length(12);
    git(dir, ['fsck', '--strict', '--no-dangling']);
  });

  it('refuses one commit whose check throws, and lands the others', async () => {
    const { repo } = ctx;
    const commit = (i: number, check?: () => void) =>
      repo.commitOnRef({ ref: 'refs/heads/main', changes: [{ path: `f${i}`, blob: repo.hashBlob(bytes(`${i}`)) }], blobs: [bytes(`${i}`)], author: ada, message: `m${i}`, check });
    const outcomes = await Promise.allSettled([
      commit(1),
      commit(2, () => {
        throw new ConflictError('no');
      }),
      commit(3),
    ]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    const head = (await repo.readRef('refs/heads/main'))!;
    expect((await repo.listFiles(head)).map((f) => f.path)).to.deep.equal(['f1', 'f3']);
  });

  it('rebuilds on a head another writer moved, losing nothing', async () => {
    const { repo, dir } = ctx;
    const first = await repo.commitOnRef({ ref: 'refs/heads/main', changes: [{ path: 'a', blob: repo.hashBlob(bytes('a')) }], blobs: [bytes('a')], author: ada, message: 'a' });
    // git moves main behind the queue's back (it remembers `first` as the head).
    const blob = git(dir, ['hash-object', '-w', '--stdin'], { input: 'b' }).trim();
    const tree = git(dir, ['mktree'], { input: `100644 blob ${blob}\tb\n` }).trim();
    const outside = git(dir, ['commit-tree', tree, '-p', first.commit, '-m', 'outside']).trim();
    git(dir, ['update-ref', 'refs/heads/main', outside, first.commit]);
    const next = await repo.commitOnRef({ ref: 'refs/heads/main', changes: [{ path: 'c', blob: repo.hashBlob(bytes('c')) }], blobs: [bytes('c')], author: ada, message: 'c' });
    expect(next.parent).to.equal(outside);
    expect((await repo.listFiles(next.commit)).map((f) => f.path)).to.deep.equal(['b', 'c']);
    git(dir, ['fsck', '--strict', '--no-dangling']);
  });

  it('two queues on one repository (two processes) take turns once one loses a race: nothing lost, nothing built three times', async () => {
    const { repo: a, dir } = ctx;
    // Another process: its own queue, caches and guess of the head, on the same directory.
    const b = openSiteRepo({ dir });
    const builds = new Map<string, number>();
    const commit = (repo: typeof a, name: string) => {
      const content = bytes(`${name}\n`);
      return repo.commitOnRef({
        ref: 'refs/heads/main', changes: [{ path: `page/${name}/en.txt`, blob: repo.hashBlob(content) }], blobs: [content], author: ada, message: name,
        onBuilt: () => builds.set(name, (builds.get(name) ?? 0) + 1),
      });
    };
    for (let round = 0; round < 12; round++) {
      await Promise.all([0, 1, 2].flatMap((i) => [commit(a, `a${round}-${i}`), commit(b, `b${round}-${i}`)]));
    }
    expect(git(dir, ['rev-list', '--count', 'refs/heads/main']).trim()).to.equal('72');
    expect(builds.size).to.equal(72);
    // A batch that lost the race is rebuilt once, under the lock; it cannot lose again.
    expect(Math.max(...builds.values())).to.be.at.most(2);
    git(dir, ['fsck', '--strict', '--no-dangling']);
  });

  it('lands a chain of commits given as one (then) in order, in one pack, and tells onBuilt the last', async () => {
    const { repo, dir } = ctx;
    const packs = () => git(dir, ['count-objects', '-v']).match(/^packs: (\d+)$/m)![1];
    const before = packs();
    const step = (i: number) => {
      const content = bytes(`version ${i}\n`);
      return { changes: [{ path: 'page/hot/en.txt', blob: repo.hashBlob(content) }], blobs: [content], author: at(i), message: `v${i}` };
    };
    const announced: Oid[] = [];
    const r = await repo.commitOnRef({ ref: 'refs/heads/main', ...step(1), then: [step(2), step(3)], onBuilt: (c) => announced.push(c) });
    expect(r.chain).to.have.length(3);
    expect(r.commit).to.equal(r.chain![2]);
    expect(announced).to.deep.equal([r.commit]);
    expect(await repo.readRef('refs/heads/main')).to.equal(r.commit);
    expect(git(dir, ['rev-list', '--reverse', 'refs/heads/main']).trim().split('\n')).to.deep.equal(r.chain);
    expect(git(dir, ['log', '--format=%s', 'refs/heads/main']).trim().split('\n')).to.deep.equal(['v3', 'v2', 'v1']);
    expect(text(await repo.readBlob((await repo.readPath(r.chain![1]!, 'page/hot/en.txt'))!))).to.equal('version 2\n');
    expect(Number(packs())).to.equal(Number(before) + 1);
  });

  it('refuses a whole chain when one of its commits cannot be built, and moves nothing', async () => {
    const { repo } = ctx;
    const first = bytes('one\n');
    const base = await repo.commitOnRef({ ref: 'refs/heads/main', changes: [{ path: 'page/a/en.txt', blob: repo.hashBlob(first) }], blobs: [first], author: at(0), message: 'base' });
    // The second step puts a file where the first made a directory: a path clash.
    const err = await repo
      .commitOnRef({
        ref: 'refs/heads/main',
        changes: [{ path: 'page/b/en.txt', blob: repo.hashBlob(first) }],
        blobs: [first],
        author: at(1),
        message: 'ok step',
        then: [{ changes: [{ path: 'page/b/en.txt/deeper.txt', blob: repo.hashBlob(first) }], author: at(2), message: 'clash' }],
      })
      .then(() => undefined, (e: unknown) => e);
    expect(err).to.be.an('error');
    expect(await repo.readRef('refs/heads/main')).to.equal(base.commit);
  });
});
