/**
 * Partial clone over the gateway's smart HTTP (issue 13 item 10): `git clone --filter=blob:none`
 * gets the commits and trees but only the blobs it checks out; an older version's blob is
 * fetched on demand when asked for. Checked with the real git CLI.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { databaseTargets } from '../../helpers/databases.js';
import { run, startGitGateway, type GitGateway } from './harness.js';

/** Object ids git lists as missing (`?<oid>`) in the clone: what the filter left out. */
async function missingObjects(repo: string): Promise<string[]> {
  const out = await run(repo, ['rev-list', '--objects', '--missing=print', '--all']);
  return out
    .split('\n')
    .filter((l) => l.startsWith('?'))
    .map((l) => l.slice(1).trim());
}

for (const target of databaseTargets()) {
  describe(`partial clone on ${target}`, function () {
    this.timeout(120_000);
    let g: GitGateway;
    const blobs: string[] = [];

    before(async () => {
      g = await startGitGateway(target);
      const home = g.store.site('acme').doc('page', 'home');
      for (const title of ['One', 'Two', 'Three']) blobs.push((await home.save({ content: { title } })).blob);
    });
    after(async () => g.stop());

    it('clone --filter=blob:none leaves older blobs out and fetches one when it is read', async () => {
      const clone = await run(g.work, ['clone', '--filter=blob:none', g.remote('acme', g.keys.viewer), 'partial']);
      expect(clone).to.equal('');
      const dir = join(g.work, 'partial');
      expect((await run(dir, ['config', 'remote.origin.promisor'])).trim()).to.equal('true');
      const missing = await missingObjects(dir);
      // The checked-out version is there; the two before it are not.
      expect(missing).to.include.members([blobs[0]!, blobs[1]!]);
      expect(missing).not.to.include(blobs[2]!);
      // Reading an old version fetches its blob lazily (a want that is not a ref tip).
      const first = await run(dir, ['show', `HEAD~2:page/home/en.json`]);
      expect(JSON.parse(first)).to.deep.equal({ title: 'One' });
      expect(await missingObjects(dir)).not.to.include(blobs[0]!);
    });

    it('a full clone still has every blob', async () => {
      await run(g.work, ['clone', g.remote('acme', g.keys.viewer), 'full']);
      expect(await missingObjects(join(g.work, 'full'))).to.deep.equal([]);
    });
  });
}
