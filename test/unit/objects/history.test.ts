/** walk, isAncestor, mergeBase and expandOid, checked against git rev-list and git merge-base. */
import { expect } from 'chai';
import type { Oid } from '../../../lib/types.js';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { openSiteRepo, type CommitInfo, type SiteRepo } from '../../../lib/objects/index.js';
import { git, gitResult } from '../../helpers/git.js';
import { at, bytes, tempRepo } from './setup.js';

async function commit(repo: SiteRepo, parents: Oid[], path: string, seconds: number): Promise<Oid> {
  const blob = await repo.writeBlob(bytes(`${path}@${seconds}\n`));
  const baseTree = parents[0] ? (await repo.readCommit(parents[0])).tree : undefined;
  return repo.writeCommit({ parents, baseTree, changes: [{ path, blob }], author: at(seconds), message: `${path}@${seconds}` });
}

async function collect(it: AsyncIterable<CommitInfo>): Promise<Oid[]> {
  const out: Oid[] = [];
  for await (const c of it) out.push(c.oid);
  return out;
}

describe('objects: history', () => {
  let ctx: Awaited<ReturnType<typeof tempRepo>>;
  // root - a1 - a2 ------- m1 - a3
  //    \           \      /
  //     b1 - b2 --- \ - b3          (b3 merges nothing; m1 merges b3 into a2)
  //                  c1 (from a2, a side branch with a skewed old clock)
  const ids: Record<string, Oid> = {};
  before(async () => {
    // Ordering, not durability, is under test here: skip fsync to keep the suite fast.
    ctx = await tempRepo({ fsyncEnabled: false });
    const r = ctx.repo;
    ids.root = await commit(r, [], 'root', 0);
    ids.a1 = await commit(r, [ids.root], 'a', 10);
    ids.b1 = await commit(r, [ids.root], 'b', 11);
    ids.a2 = await commit(r, [ids.a1], 'a', 12);
    ids.b2 = await commit(r, [ids.b1], 'b', 13);
    ids.b3 = await commit(r, [ids.b2], 'b', 14);
    ids.c1 = await commit(r, [ids.a2], 'c', 5); // committer clock behind its parent
    ids.m1 = await commit(r, [ids.a2, ids.b3], 'm', 15);
    ids.a3 = await commit(r, [ids.m1], 'a', 16);
    for (const [name, oid] of Object.entries(ids)) await r.casRef(`refs/heads/${name}`, undefined, oid);
  });
  after(() => ctx.remove());

  it('walks every reachable commit once, children before parents, newest first', async () => {
    const order = await collect(ctx.repo.walk(ids.a3!));
    const expected = git(ctx.dir, ['rev-list', ids.a3!]).trim().split('\n');
    expect([...order].sort()).to.deep.equal([...expected].sort());
    const pos = new Map(order.map((o, i) => [o, i]));
    for (const oid of order) {
      for (const p of (await ctx.repo.readCommit(oid)).parents) expect(pos.get(p)!).to.be.greaterThan(pos.get(oid)!);
    }
    expect(order.slice(0, 3)).to.deep.equal([ids.a3, ids.m1, ids.b3]);
    // Clock skew does not break topology: c1 (older clock) still comes before a2.
    const side = await collect(ctx.repo.walk(ids.c1!));
    expect(side).to.deep.equal([ids.c1, ids.a2, ids.a1, ids.root]);
  });

  it('walks lazily: stopping early never reads old history', async () => {
    let head = ids.a3!;
    for (let i = 0; i < 30; i++) head = await commit(ctx.repo, [head], 'long', 100 + (i >> 2)); // 4 per second
    const expected = git(ctx.dir, ['rev-list', '--topo-order', '-n', '10', head]).trim().split('\n');
    const rootFile = join(ctx.dir, 'objects', ids.root!.slice(0, 2), ids.root!.slice(2));
    renameSync(rootFile, `${rootFile}.hidden`);
    try {
      const fresh = openSiteRepo({ dir: ctx.dir });
      const first: Oid[] = [];
      for await (const c of fresh.walk(head)) {
        first.push(c.oid);
        if (first.length === 10) break;
      }
      expect(first).to.deep.equal(expected);
    } finally {
      renameSync(`${rootFile}.hidden`, rootFile);
    }
  });

  it('keeps children before parents in a random DAG full of same-second commits', async () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const made: Array<{ oid: Oid; ts: number }> = [{ oid: ids.root!, ts: 0 }];
    for (let i = 0; i < 40; i++) {
      const p1 = made[made.length - 1 - rand(Math.min(made.length, 6))]!;
      const p2 = made[rand(made.length)]!;
      const parents = rand(3) === 0 && p2.oid !== p1.oid ? [p1, p2] : [p1];
      const ts = Math.max(...parents.map((p) => p.ts)) + rand(2); // dates never go back; many ties
      made.push({ oid: await commit(ctx.repo, parents.map((p) => p.oid), `dag/${i}`, 200 + ts), ts });
    }
    const tip = await commit(ctx.repo, made.slice(-8).map((m) => m.oid).filter((o, i, a) => a.indexOf(o) === i), 'dag/tip', 300);
    const order = await collect(openSiteRepo({ dir: ctx.dir }).walk(tip));
    expect([...order].sort()).to.deep.equal(git(ctx.dir, ['rev-list', tip]).trim().split('\n').sort());
    const pos = new Map(order.map((o, i) => [o, i]));
    for (const oid of order) {
      for (const p of (await ctx.repo.readCommit(oid)).parents) expect(pos.get(p)!, `${p} after ${oid}`).to.be.greaterThan(pos.get(oid)!);
    }
  });

  it('stops at stopAt and at everything reachable from it (like from ^stop)', async () => {
    const range = await collect(ctx.repo.walk(ids.a3!, { stopAt: [ids.a2!] }));
    const expected = git(ctx.dir, ['rev-list', ids.a3!, `^${ids.a2}`]).trim().split('\n');
    expect([...range].sort()).to.deep.equal([...expected].sort());
    expect(range).to.not.include(ids.root);
    expect(await collect(ctx.repo.walk(ids.a3!, { stopAt: [ids.a3!] }))).to.deep.equal([]);
    const two = await collect(ctx.repo.walk(ids.a3!, { stopAt: [ids.b2!, ids.a1!] }));
    expect([...two].sort()).to.deep.equal(git(ctx.dir, ['rev-list', ids.a3!, `^${ids.b2}`, `^${ids.a1}`]).trim().split('\n').sort());
  });

  it('answers isAncestor and mergeBase like git merge-base', async () => {
    const r = ctx.repo;
    const names = Object.keys(ids);
    // One rev-list per commit gives git's ancestry for every pair.
    const ancestors = new Map(names.map((n) => [n, new Set(git(ctx.dir, ['rev-list', ids[n]!]).trim().split('\n'))]));
    for (const x of names) {
      for (const y of names) {
        expect(await r.isAncestor(ids[x]!, ids[y]!), `${x} ancestor of ${y}`).to.equal(ancestors.get(y)!.has(ids[x]!));
      }
    }
    const pairs = [['a3', 'c1'], ['b3', 'a2'], ['c1', 'b2'], ['m1', 'b3'], ['a1', 'b1'], ['a3', 'a3'], ['c1', 'a3']] as const;
    for (const [x, y] of pairs) {
      const base = gitResult(ctx.dir, ['merge-base', '--all', ids[x]!, ids[y]!]).stdout.trim().split('\n').filter(Boolean);
      expect(base, `merge-base ${x} ${y}`).to.have.length(1);
      expect(await r.mergeBase(ids[x]!, ids[y]!), `merge-base ${x} ${y}`).to.equal(base[0]);
    }
  });

  it('finds the merge base of a criss-cross history, and none for unrelated roots', async () => {
    const r = ctx.repo;
    const x1 = await commit(r, [ids.root!], 'x', 20);
    const y1 = await commit(r, [ids.root!], 'y', 21);
    const x2 = await commit(r, [x1, y1], 'x', 22);
    const y2 = await commit(r, [y1, x1], 'y', 23);
    const base = await r.mergeBase(x2, y2);
    expect([x1, y1]).to.include(base);
    const lone = await commit(r, [], 'lone', 30);
    expect(await r.mergeBase(lone, ids.a3!)).to.equal(undefined);
    expect(await r.isAncestor(lone, ids.a3!)).to.equal(false);
  });

  it('expands short hashes', async () => {
    const r = ctx.repo;
    expect(await r.expandOid(ids.a3!.slice(0, 10))).to.equal(ids.a3);
    expect(await r.expandOid(ids.a3!.slice(0, 10).toUpperCase())).to.equal(ids.a3);
    expect(await r.expandOid('0000000')).to.equal(undefined);
    try {
      await r.expandOid('xyz');
      expect.fail('accepted a non-hex prefix');
    } catch (err) {
      expect((err as { code?: string }).code).to.equal('invalid_input');
    }
  });
});
