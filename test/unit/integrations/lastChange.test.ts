/**
 * Who a pull credits (lib/integrations/git/lastChange.ts): the newest first-parent commit that
 * changed the file, the root commit when it added it, and nobody when the change lies past the
 * shallow boundary or the walk's limit (the caller then falls back to the head's author).
 */
import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastChange } from '../../../lib/integrations/git/lastChange.js';
import { openSiteRepo, type SiteRepo } from '../../../lib/objects/index.js';
import type { Oid } from '../../../lib/types.js';
import { git } from '../../helpers/git.js';

describe('git kind: the last commit that changed a file', () => {
  let dir: string;
  let repo: SiteRepo;
  const commits: Oid[] = [];
  const by = (name: string, t: number) => ({ name, email: `${name.toLowerCase()}@example.com`, timestamp: t, timezoneOffset: 0 });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'last-change-'));
    repo = openSiteRepo({ dir: join(dir, 'r.git') });
    await repo.init();
    // Ann adds the file, Eve changes it, Bob and Cy commit other files.
    const steps: Array<[string, string, string]> = [['Ann', 'doc.md', 'v1\n'], ['Eve', 'doc.md', 'v2\n'], ['Bob', 'a.md', 'a\n'], ['Cy', 'b.md', 'b\n']];
    for (const [i, [name, path, text]] of steps.entries()) {
      const blob = await repo.writeBlob(new TextEncoder().encode(text));
      const parent = commits[commits.length - 1];
      commits.push(await repo.writeCommit({ parents: parent ? [parent] : [], baseTree: parent ? (await repo.readCommit(parent)).tree : undefined, changes: [{ path, blob }], author: by(name, 1_700_000_000 + i), message: `${name}\n` }));
    }
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('skips later commits that left the file alone, and credits the root that added it', async () => {
    const head = commits[3]!;
    const blob = (await repo.readPath(head, 'doc.md'))!;
    expect((await lastChange({ repo, head, path: 'doc.md', blob, maxCommits: 50 }))?.author.name).to.equal('Eve');
    const v1 = (await repo.readPath(commits[0]!, 'doc.md'))!;
    expect((await lastChange({ repo, head: commits[0]!, path: 'doc.md', blob: v1, maxCommits: 50 }))?.author.name).to.equal('Ann');
  });

  it('knows nobody past the walk limit or the shallow boundary', async () => {
    const head = commits[3]!;
    const blob = (await repo.readPath(head, 'doc.md'))!;
    expect(await lastChange({ repo, head, path: 'doc.md', blob, maxCommits: 1 })).to.equal(undefined);
    // A shallow repository: Eve's commit is present, its parent (Ann's) is not.
    const shallow = join(dir, 'shallow.git');
    git(join(dir, 'r.git'), ['update-ref', 'refs/heads/main', head]);
    git(dir, ['clone', '-q', '--bare', '--depth', '3', `file://${join(dir, 'r.git')}`, shallow]);
    expect(git(shallow, ['cat-file', '-t', commits[1]!]).trim()).to.equal('commit');
    const cut = openSiteRepo({ dir: shallow });
    expect(await lastChange({ repo: cut, head, path: 'doc.md', blob, maxCommits: 50 })).to.equal(undefined);
    rmSync(shallow, { recursive: true, force: true });
  });
});
