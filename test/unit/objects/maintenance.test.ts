/**
 * Automatic maintenance (lib/objects/maintenance.ts): the packs saves write are rolled up in the
 * background, loose objects are packed once git's threshold is passed, without losing a commit
 * that lands meanwhile, and readers (isomorphic-git and our loose reader) see the new packs at
 * once and keep reading while old ones are removed.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSiteRepo } from '../../../lib/objects/index.js';
import type { SiteRepo } from '../../../lib/objects/index.js';
import { looseObjectIds } from '../../../lib/objects/pack.js';
import { PACK_LIMIT } from '../../../lib/objects/maintenance.js';
import { createContext } from '../../../lib/objects/context.js';
import { holderLine } from '../../../lib/locks/holder.js';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8' });
const who = { name: 'Ada', email: 'ada@example.com', timestamp: 1_700_000_000, timezoneOffset: 0 };

async function save(repo: SiteRepo, i: number): Promise<void> {
  const blob = repo.hashBlob(new TextEncoder().encode(`version ${i}\n`));
  await repo.commitOnRef({
    ref: 'refs/heads/main',
    changes: [{ path: `page/p${i % 7}/en.txt`, blob }],
    blobs: [new TextEncoder().encode(`version ${i}\n`)],
    message: `save ${i}`,
    author: who,
  });
}

/** The pid of a process that has exited (a holder that died). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('automatic maintenance', function () {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'verso-gc-')), 'site.git');
  });
  afterEach(async () => rm(join(dir, '..'), { recursive: true, force: true }));

  const packCount = () => Number(git(dir, 'count-objects', '-v').match(/^packs: (\d+)/m)![1]);

  it('rolls the per-batch packs up in the background (with deltas), and keeps every commit readable', async () => {
    // No fsync: this test is about packing, not durability.
    const repo = openSiteRepo({ dir, maintenance: { every: 100 }, fsyncEnabled: false });
    await repo.init();
    for (let batch = 0; batch < 20; batch++) await Promise.all(Array.from({ length: 50 }, (_, j) => save(repo, batch * 50 + j)));
    await repo.maintenanceIdle();
    // Each group of 50 concurrent saves took two or more batches, so 40+ packs were written;
    // geometric repacking leaves a handful (each at least twice the size of all smaller ones).
    expect(packCount()).to.be.within(1, 8);
    expect(git(dir, 'count-objects', '-v')).to.match(/^count: 0$/m);
    const idx = readdirSync(join(dir, 'objects/pack')).filter((f) => f.endsWith('.idx'));
    const verify = idx.map((f) => git(dir, 'verify-pack', '-v', join(dir, 'objects/pack', f))).join('');
    expect(verify).to.match(/^chain length = 1: \d+ objects?$/m); // the rolled-up trees got deltas
    // Saves keep landing on top of packed history, and the whole history reads back.
    for (let i = 1000; i < 1005; i++) await save(repo, i);
    const head = (await repo.readRef('refs/heads/main'))!;
    let n = 0;
    for await (const c of repo.walk(head)) {
      const i = Number(c.message.match(/save (\d+)/)![1]);
      const blob = (await repo.readPath(c.oid, `page/p${i % 7}/en.txt`))!;
      expect(Buffer.from(await repo.readBlob(blob)).toString()).to.equal(`version ${i}\n`);
      n++;
    }
    expect(n).to.equal(1005);
    git(dir, 'fsck', '--strict');
  });

  it('starts a run when packs pile up, even in processes that each commit once (the CLI)', async () => {
    const first = openSiteRepo({ dir, maintenance: { every: 1000 } });
    await first.init();
    for (let i = 0; i < PACK_LIMIT - 1; i++) {
      const once = openSiteRepo({ dir, maintenance: { every: 1000 } });
      await save(once, i);
      await once.maintenanceIdle();
    }
    expect(packCount()).to.equal(PACK_LIMIT - 1);
    const last = openSiteRepo({ dir, maintenance: { every: 1000 } });
    await save(last, PACK_LIMIT);
    await last.maintenanceIdle();
    expect(packCount()).to.be.lessThan(3);
    git(dir, 'fsck', '--strict');
  });

  it('runs one maintenance at a time across processes: skips while a live one holds the lock, takes over a dead one\'s, and verso gc waits', async () => {
    const repo = openSiteRepo({ dir, maintenance: { every: 1000 }, fsyncEnabled: false });
    await repo.init();
    const lock = join(dir, 'verso-maintenance.lock');
    writeFileSync(lock, holderLine()); // a live holder: this very process stands in for another
    // 20 commits: the pack check at the 20th finds 20 packs, past PACK_LIMIT, so a run is due.
    for (let i = 0; i < 20; i++) await save(repo, i);
    await repo.maintenanceIdle();
    expect(packCount()).to.equal(20); // and skipped
    // verso gc waits for the run under way, then packs.
    let packed = false;
    const gc = repo.pack().then(() => (packed = true));
    await new Promise((r) => setTimeout(r, 400));
    expect(packed).to.equal(false);
    writeFileSync(lock, `${deadPid()}\n`); // the holder died: the next run takes the lock over
    await gc;
    expect(packCount()).to.equal(1);
    expect(existsSync(lock)).to.equal(false);
    writeFileSync(lock, `${deadPid()}\n`);
    for (let i = 0; i < 20; i++) await save(repo, 100 + i); // the check at the 40th commit starts a run
    await repo.maintenanceIdle();
    expect(packCount()).to.be.lessThan(4);
    expect(existsSync(lock)).to.equal(false);
    git(dir, 'fsck', '--strict');
  });

  it('can be turned off', async () => {
    const off = openSiteRepo({ dir, maintenance: { every: 0 } });
    await off.init();
    for (let i = 0; i < PACK_LIMIT + 4; i++) await save(off, i);
    await off.maintenanceIdle();
    expect(packCount()).to.equal(PACK_LIMIT + 4);
  });

  it('packs loose objects (written outside the commit queue) once git says gc is due', async () => {
    const repo = openSiteRepo({ dir, maintenance: { every: 10 }, fsyncEnabled: false });
    await repo.init();
    // git estimates loose objects from objects/17 times 256: 3,000 loose blobs are surely past 256.
    git(dir, 'config', 'gc.auto', '256');
    for (let i = 0; i < 3000; i++) await repo.writeBlob(new TextEncoder().encode(`loose ${i}\n`));
    for (let i = 0; i < 10; i++) await save(repo, i);
    await repo.maintenanceIdle();
    const loose = await looseObjectIds(createContext({ gitdir: dir }));
    expect(loose.length).to.be.lessThan(1000);
    git(dir, 'fsck', '--strict');
  });

  it('loses no commit and fails no read while background repacks run', async () => {
    const repo = openSiteRepo({ dir, maintenance: { every: 1 } });
    await repo.init();
    git(dir, 'config', 'gc.auto', '5');
    for (let i = 0; i < 10; i++) await save(repo, i);
    const early = (await repo.readRef('refs/heads/main'))!;
    // Readers in this process and in a fresh handle (another gateway) read packed history
    // while repacks replace the packs under them.
    let writing = true;
    let reads = 0;
    const reader = async (r: SiteRepo) => {
      while (writing) {
        for await (const c of r.walk(early)) {
          const i = Number(c.message.match(/save (\d+)/)![1]);
          expect(Buffer.from(await r.readBlob((await r.readPath(c.oid, `page/p${i % 7}/en.txt`))!)).toString()).to.equal(`version ${i}\n`);
          reads++;
        }
      }
    };
    const readers = [reader(repo), reader(openSiteRepo({ dir, maintenance: { every: 0 } }))];
    await Promise.all(Array.from({ length: 120 }, (_, i) => save(repo, 10 + i)));
    await repo.maintenanceIdle();
    writing = false;
    await Promise.all(readers);
    expect(reads).to.be.greaterThan(0);
    const head = (await repo.readRef('refs/heads/main'))!;
    expect(git(dir, 'rev-list', '--count', head).trim()).to.equal('130');
    git(dir, 'fsck', '--strict');
  });
});
