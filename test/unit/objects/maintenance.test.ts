/**
 * Automatic maintenance (lib/objects/maintenance.ts): saves through the commit queue pack loose
 * objects in the background once git's threshold is passed, without losing a commit that lands
 * meanwhile, and readers (isomorphic-git and our loose reader) see the new packs at once.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSiteRepo } from '../../../lib/objects/index.js';
import type { SiteRepo } from '../../../lib/objects/index.js';
import { looseObjectIds } from '../../../lib/objects/pack.js';
import { createContext } from '../../../lib/objects/context.js';

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

describe('automatic maintenance', function () {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'verso-gc-')), 'site.git');
  });
  afterEach(async () => rm(join(dir, '..'), { recursive: true, force: true }));

  it('packs in the background once git says gc is due, and keeps every commit readable', async () => {
    // No fsync: this test is about packing, and 3,000 objects are what git's estimate needs.
    const repo = openSiteRepo({ dir, maintenance: { every: 100 }, fsyncEnabled: false });
    await repo.init();
    // git estimates loose objects from one fan-out directory (objects/17) times 256; gc.auto 256
    // stands in for its 6,700 so that ~3,000 objects (about 12 in objects/17) are surely past it.
    git(dir, 'config', 'gc.auto', '256');
    for (let batch = 0; batch < 20; batch++) await Promise.all(Array.from({ length: 50 }, (_, j) => save(repo, batch * 50 + j)));
    await repo.maintenanceIdle();
    const loose = await looseObjectIds(createContext({ gitdir: dir }));
    expect(Number(git(dir, 'count-objects', '-v').match(/^packs: (\d+)/m)![1])).to.be.greaterThan(0);
    expect(loose.length).to.be.lessThan(1000);
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

  it('does nothing below the threshold (git decides), and can be turned off', async () => {
    const repo = openSiteRepo({ dir, maintenance: { every: 5 } });
    await repo.init();
    for (let i = 0; i < 20; i++) await save(repo, i);
    await repo.maintenanceIdle();
    expect(git(dir, 'count-objects', '-v')).to.match(/^packs: 0$/m);
    const off = openSiteRepo({ dir, maintenance: { every: 0 } });
    git(dir, 'config', 'gc.auto', '1');
    for (let i = 20; i < 30; i++) await save(off, i);
    await off.maintenanceIdle();
    expect(git(dir, 'count-objects', '-v')).to.match(/^packs: 0$/m);
  });

  it('loses no commit that lands while a background pack runs', async () => {
    const repo = openSiteRepo({ dir, maintenance: { every: 1 } });
    await repo.init();
    git(dir, 'config', 'gc.auto', '5');
    await Promise.all(Array.from({ length: 120 }, (_, i) => save(repo, i)));
    await repo.maintenanceIdle();
    const head = (await repo.readRef('refs/heads/main'))!;
    expect(git(dir, 'rev-list', '--count', head).trim()).to.equal('120');
    git(dir, 'fsck', '--strict');
  });
});
