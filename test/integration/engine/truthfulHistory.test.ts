/**
 * Truthful history (issue 8 item 13): a publish commit names who published, not the author of
 * the version; a rollback that publishes names the one who rolled back.
 */
import { expect } from 'chai';
import { databaseTargets } from '../../helpers/databases.js';
import { git } from '../../helpers/gitCli.js';
import { useFreshStore } from '../../helpers/storeFixture.js';

for (const target of databaseTargets()) {
  describe(`truthful history on ${target}`, function () {
    this.timeout(120_000);
    const f = useFreshStore(target);

    it('a publish commit carries the publisher as author, not the version\'s author', async () => {
      const doc = f.store!.site('acme').doc('page', 'home');
      await doc.save({ content: { v: 1 }, author: { name: 'Writer', email: 'writer@example.com' } });
      await doc.publish(1);
      const author = () => git(f.store!.repoDir('acme'), 'log', '-1', '--format=%an <%ae>', 'published').trim();
      expect(author()).to.equal('verso <>');
      await doc.rollback(1, { author: { name: 'Editor', email: 'editor@example.com' }, publish: true });
      expect(author()).to.equal('Editor <editor@example.com>');
      // Through the gateway (a key acting), the publisher is the key.
      await doc.save({ content: { v: 3 }, author: 'Writer' });
      await f.store!.runAs({ keyId: '01JKEY00000000000000000000', name: 'Release bot' }, () => doc.publish());
      expect(author()).to.equal('Release bot <>');
      // The versions keep their own authors.
      expect((await doc.show(1)).author).to.deep.equal({ name: 'Writer', email: 'writer@example.com' });
    });
  });
}
