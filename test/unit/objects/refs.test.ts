/** Refs: compare-and-swap under git's lock-file protocol, interoperating with the git CLI. */
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Oid } from '../../../lib/types.js';
import { openSiteRepo, RefLockedError, type SiteRepo } from '../../../lib/objects/index.js';
import { UnavailableError } from '../../../lib/errors/index.js';
import { createContext } from '../../../lib/objects/context.js';
import { lockRef } from '../../../lib/objects/casRef.js';
import { git, gitAsync, gitResult } from '../../helpers/git.js';
import { at, bytes, tempDir, tempRepo } from './setup.js';

async function commitOn(repo: SiteRepo, parent: Oid | undefined, path: string, seconds: number): Promise<Oid> {
  const blob = await repo.writeBlob(bytes(`${path} ${seconds}\n`));
  const baseTree = parent ? (await repo.readCommit(parent)).tree : undefined;
  return repo.writeCommit({ parents: parent ? [parent] : [], baseTree, changes: [{ path, blob }], author: at(seconds), message: `c${seconds}` });
}

describe('objects: refs', () => {
  let ctx: Awaited<ReturnType<typeof tempRepo>>;
  let c1: Oid;
  let c2: Oid;
  beforeEach(async () => {
    ctx = await tempRepo({ lockTimeoutMs: 300 });
    c1 = await commitOn(ctx.repo, undefined, 'post/a/en.md', 1);
    c2 = await commitOn(ctx.repo, c1, 'post/a/en.md', 2);
  });
  afterEach(() => ctx.remove());

  it('creates, moves and deletes with compare-and-swap', async () => {
    const { repo, dir } = ctx;
    const main = 'refs/heads/main';
    expect(await repo.readRef(main)).to.equal(undefined);
    expect(await repo.casRef(main, c1, c2)).to.deep.equal({ ok: false });
    expect(await repo.casRef(main, undefined, c1)).to.deep.equal({ ok: true });
    expect(await repo.casRef(main, undefined, c2)).to.deep.equal({ ok: false, current: c1 });
    expect(await repo.casRef(main, c2, c1)).to.deep.equal({ ok: false, current: c1 });
    expect(await repo.casRef(main, c1, c2)).to.deep.equal({ ok: true });
    expect(readFileSync(join(dir, main), 'utf8')).to.equal(`${c2}\n`);
    expect(await repo.readRef('HEAD')).to.equal(c2);
    expect(git(dir, ['rev-parse', 'main']).trim()).to.equal(c2);
    expect(await repo.casRef('refs/heads/feature', undefined, c1)).to.deep.equal({ ok: true });
    expect(await repo.listRefs('refs/heads/')).to.deep.equal([
      { ref: 'refs/heads/feature', oid: c1 },
      { ref: 'refs/heads/main', oid: c2 },
    ]);
    expect(await repo.casRef('refs/heads/feature', c2, null)).to.deep.equal({ ok: false, current: c1 });
    expect(await repo.casRef('refs/heads/feature', c1, null)).to.deep.equal({ ok: true });
    expect(await repo.readRef('refs/heads/feature')).to.equal(undefined);
    expect(existsSync(join(dir, 'refs/heads/feature.lock'))).to.equal(false);
    expect(git(dir, ['for-each-ref', '--format=%(refname) %(objectname)'])).to.equal(`refs/heads/main ${c2}\n`);
  });

  it('refuses malformed ref names', async () => {
    for (const ref of ['main', 'refs/heads/../x', 'refs/heads/a.lock', 'refs/heads/.x', 'refs/heads/a b', 'refs/heads/a/', 'refs/heads/a@{1}', 'refs//x']) {
      try {
        await ctx.repo.casRef(ref, undefined, c1);
        expect.fail(`accepted ${ref}`);
      } catch (err) {
        expect((err as { code?: string }).code, ref).to.equal('invalid_input');
      }
    }
  });

  it('reads refs git wrote, loose and packed, and git reads ours', async () => {
    const { repo, dir } = ctx;
    git(dir, ['update-ref', 'refs/heads/main', c1]);
    git(dir, ['update-ref', 'refs/tags/post/a/en/v1.0.0', c1]);
    expect(await repo.readRef('refs/heads/main')).to.equal(c1);
    git(dir, ['pack-refs', '--all']);
    expect(existsSync(join(dir, 'refs/heads/main'))).to.equal(false);
    expect(await repo.readRef('refs/heads/main')).to.equal(c1);
    expect(await repo.listRefs('refs/tags/')).to.deep.equal([{ ref: 'refs/tags/post/a/en/v1.0.0', oid: c1 }]);
    // Our update of a packed ref writes a loose ref that git prefers; our delete clears both.
    expect(await repo.casRef('refs/heads/main', c1, c2)).to.deep.equal({ ok: true });
    expect(git(dir, ['rev-parse', 'refs/heads/main']).trim()).to.equal(c2);
    expect(await repo.casRef('refs/tags/post/a/en/v1.0.0', c1, null)).to.deep.equal({ ok: true });
    expect(readFileSync(join(dir, 'packed-refs'), 'utf8')).to.not.include('v1.0.0');
    expect(gitResult(dir, ['rev-parse', '--verify', '-q', 'refs/tags/post/a/en/v1.0.0']).status).to.not.equal(0);
    expect(await repo.casRef('refs/heads/main', c2, null)).to.deep.equal({ ok: true });
    expect(git(dir, ['for-each-ref'])).to.equal('');
    // And git's compare-and-swap sees ours.
    await repo.casRef('refs/heads/main', undefined, c1);
    expect(gitResult(dir, ['update-ref', 'refs/heads/main', c2, c2]).status).to.not.equal(0);
    git(dir, ['update-ref', 'refs/heads/main', c2, c1]);
    expect(await repo.readRef('refs/heads/main')).to.equal(c2);
  });

  it("waits for git's lock, then fails as unavailable (reason ref_locked), leaving git's lock alone", async () => {
    const { repo, dir } = ctx;
    await repo.casRef('refs/heads/main', undefined, c1);
    const lock = join(dir, 'refs/heads/main.lock');
    writeFileSync(lock, '');
    const started = Date.now();
    try {
      await repo.casRef('refs/heads/main', c1, c2);
      expect.fail('casRef succeeded while git held the lock');
    } catch (err) {
      expect(err).to.be.instanceOf(RefLockedError);
      expect(err).to.be.instanceOf(UnavailableError);
      expect((err as RefLockedError).code).to.equal('unavailable');
      expect((err as RefLockedError).data.reason).to.equal('ref_locked');
    }
    expect(Date.now() - started).to.be.at.least(280);
    expect(existsSync(lock)).to.equal(true);
    expect(await repo.readRef('refs/heads/main')).to.equal(c1);
    // Released while we wait: we get it.
    const slow = openSiteRepo({ dir, lockTimeoutMs: 3000 });
    const pending = slow.casRef('refs/heads/main', c1, c2);
    setTimeout(() => unlinkSync(lock), 150);
    expect(await pending).to.deep.equal({ ok: true });
  });

  it('makes git update-ref fail or wait while we hold the lock', async () => {
    const { repo, dir } = ctx;
    await repo.casRef('refs/heads/main', undefined, c1);
    const held = await lockRef(createContext({ gitdir: dir }), 'refs/heads/main');
    try {
      const noWait = gitResult(dir, ['-c', 'core.filesRefLockTimeout=0', 'update-ref', 'refs/heads/main', c2, c1]);
      expect(noWait.status).to.not.equal(0);
      expect(noWait.stderr).to.match(/main\.lock/);
      // With the repository's own setting (init wrote it) git waits for us.
      const waiting = gitAsync(dir, ['update-ref', 'refs/heads/main', c2, c1]);
      await new Promise((r) => setTimeout(r, 300));
      expect(await repo.readRef('refs/heads/main')).to.equal(c1);
      await held.release();
      const done = await waiting;
      expect(done.status, done.stderr).to.equal(0);
    } finally {
      await held.release();
    }
    expect(await repo.readRef('refs/heads/main')).to.equal(c2);
  });

  it('makes git push wait for our lock and then land', async function () {
    this.timeout(20000);
    const { repo, dir } = ctx;
    await repo.casRef('refs/heads/main', undefined, c2);
    const tmp = tempDir('verso-clone-');
    try {
      const work = join(tmp.path, 'work');
      git(tmp.path, ['clone', '-q', dir, work]);
      writeFileSync(join(work, 'pushed.txt'), 'from git\n');
      git(work, ['add', 'pushed.txt']);
      git(work, ['commit', '-q', '-m', 'pushed']);
      const pushedHead = git(work, ['rev-parse', 'HEAD']).trim();
      const held = await lockRef(createContext({ gitdir: dir }), 'refs/heads/main');
      const push = gitAsync(work, ['push', '-q', 'origin', 'main']);
      await new Promise((r) => setTimeout(r, 400));
      expect(await repo.readRef('refs/heads/main')).to.equal(c2);
      await held.release();
      const result = await push;
      expect(result.status, result.stderr).to.equal(0);
      expect(await repo.readRef('refs/heads/main')).to.equal(pushedHead);
      expect(await repo.readPath(pushedHead as Oid, 'pushed.txt')).to.equal(git(dir, ['rev-parse', `${pushedHead}:pushed.txt`]).trim());
    } finally {
      tmp.remove();
    }
  });

  it('clears only stale locks', async () => {
    const { repo, dir } = ctx;
    mkdirSync(join(dir, 'refs/tags/post/a'), { recursive: true });
    const stale = join(dir, 'refs/tags/post/a/v1.lock');
    const fresh = join(dir, 'refs/heads/main.lock');
    writeFileSync(stale, '');
    writeFileSync(fresh, '');
    const old = new Date(Date.now() - 120_000);
    utimesSync(stale, old, old);
    expect(await repo.clearStaleLocks(60_000)).to.deep.equal([stale]);
    expect(existsSync(stale)).to.equal(false);
    expect(existsSync(fresh)).to.equal(true);
  });
});

describe('objects: init', () => {
  it('is idempotent and adds filesRefLockTimeout to a repository git created', async () => {
    const tmp = tempDir();
    try {
      const dir = join(tmp.path, 'x.git');
      git(tmp.path, ['init', '-q', '--bare', dir]);
      const repo = openSiteRepo({ dir });
      await repo.init();
      await repo.init();
      expect(git(dir, ['config', 'core.filesRefLockTimeout']).trim()).to.equal('10000');
      expect(git(dir, ['config', 'core.bare']).trim()).to.equal('true');
      expect(readFileSync(join(dir, 'config'), 'utf8').match(/filesRefLockTimeout/g)).to.have.length(1);

      const fresh = openSiteRepo({ dir: join(tmp.path, 'y.git') });
      await Promise.all([fresh.init(), fresh.init()]);
      expect(git(join(tmp.path, 'y.git'), ['symbolic-ref', 'HEAD']).trim()).to.equal('refs/heads/main');
      expect(git(join(tmp.path, 'y.git'), ['rev-parse', '--is-bare-repository']).trim()).to.equal('true');
    } finally {
      tmp.remove();
    }
  });
});
