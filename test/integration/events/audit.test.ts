/**
 * The audit trail: events name their actor (the author for SDK writes, the commit author for
 * git pushes, the API key through the gateway), flag moves carry old and new values, and a
 * branch created by `git push` gets its branch.create event.
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangeEvent } from '../../../lib/types.js';
import { databaseTargets } from '../../helpers/databases.js';
import { useFreshStore } from '../../helpers/storeFixture.js';
import { git } from '../../helpers/git.js';

for (const target of databaseTargets()) {
  describe(`audit trail on ${target}`, function () {
    this.timeout(120_000);
    const f = useFreshStore(target, { per: 'suite', site: { id: 'acme', name: 'Acme' } });

    const all = async (): Promise<ChangeEvent[]> => (await f.store!.site('acme').events({ limit: 1000 })).items;

    it('names the author of an SDK write, and the key of a write made through a key\'s view', async function () {
      const doc = f.store!.site('acme').doc('page', 'home');
      await doc.save({ content: { title: 'One' }, author: { name: 'Ada', email: 'ada@example.com' } });
      await f.store!.withActor({ keyId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', name: 'deploy-bot' }).site('acme').doc('page', 'home').save({ content: { title: 'Two' }, author: 'Ada' });
      const saves = (await all()).filter((e) => e.action === 'version.create' && e.key === 'home');
      expect(saves.map((e) => e.actor)).to.deep.equal([{ name: 'Ada' }, { keyId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', name: 'deploy-bot' }]);
    });

    it('keeps the published version before and after in a publish and an unpublish event', async function () {
      const doc = f.store!.site('acme').doc('page', 'flags');
      await doc.save({ content: { v: 1 } });
      await doc.publish(1);
      await doc.save({ content: { v: 2 } });
      await doc.publish(2);
      await doc.unpublish();
      const moves = (await all()).filter((e) => e.key === 'flags' && e.action !== 'version.create');
      expect(moves.map((e) => [e.action, e.oldValues, e.newValues])).to.deep.equal([
        ['version.publish', { publishedVersion: null }, { publishedVersion: 1 }],
        ['version.publish', { publishedVersion: 1 }, { publishedVersion: 2 }],
        ['version.unpublish', { publishedVersion: 2 }, { publishedVersion: null }],
      ]);
    });

    it('records a site update with the fields before and after', async function () {
      await f.store!.withActor({ keyId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', name: 'ops' }).site('acme').update({ name: 'Acme Inc', conflictPolicy: 'lww' });
      const [update] = (await all()).filter((e) => e.action === 'site.update');
      expect(update!.oldValues).to.deep.equal({ name: 'Acme', conflictPolicy: 'manual' });
      expect(update!.newValues).to.deep.equal({ name: 'Acme Inc', conflictPolicy: 'lww' });
      expect(update!.actor).to.deep.equal({ keyId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', name: 'ops' });
    });

    it('gives a branch created by git push its branch.create event, naming the commit author', async function () {
      const work = await mkdtemp(join(tmpdir(), 'events-push-'));
      try {
        git(work, ['clone', '--quiet', f.store!.repoDir('acme'), 'clone']);
        const clone = join(work, 'clone');
        git(clone, ['checkout', '--quiet', '-b', 'pushed-line']);
        git(clone, ['commit', '--quiet', '--allow-empty', '-m', 'start a line'], { env: { GIT_AUTHOR_NAME: 'Grace', GIT_AUTHOR_EMAIL: 'grace@example.com' } });
        git(clone, ['push', '--quiet', 'origin', 'pushed-line']);
        await f.store!.reconcile({ site: 'acme', repair: true });
        await f.store!.reconcile({ site: 'acme', repair: true }); // a second pass records nothing new
        const created = (await all()).filter((e) => e.action === 'branch.create');
        expect(created).to.have.length(1);
        expect(created[0]!.data).to.deep.equal({ branch: 'pushed-line', pushed: true });
        expect(created[0]!.actor).to.deep.equal({ name: 'Grace' });
        expect((await f.store!.site('acme').branches()).map((b) => b.name)).to.include('pushed-line');
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });
  });
}
