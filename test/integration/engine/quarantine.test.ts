/**
 * Recovery always starts (issue 8 item 4): data dirs damaged by commits the index cannot hold,
 * written with git plumbing as a buggy writer would leave them. openStore, reindex and
 * fsck --repair succeed; the commit is quarantined and reported by fsck; the rest comes up and
 * keeps numbering.
 */
import { expect } from 'chai';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { gitFsckStrict } from '../../helpers/gitCli.js';
import { snapshotIndex } from '../../helpers/indexSnapshot.js';
import { plumbCommit, versoMessage } from '../../helpers/plumbing.js';

const DAMAGE: Array<{ name: string; trailers: Record<string, string | number> }> = [
  { name: 'a bogus version trailer', trailers: { Doc: 'post/bad/en', Kind: 'draft', Source: 'user', Branch: 'main', Version: 'seven' } },
  { name: 'a version number out of range', trailers: { Doc: 'post/bad/en', Kind: 'draft', Source: 'user', Branch: 'main', Version: 99999999999 } },
  { name: 'a NUL in metadata', trailers: { Doc: 'post/bad/en', Kind: 'draft', Source: 'user', Branch: 'main', Version: 1, Metadata: '{"a":"x\\u0000y"}' } },
  { name: 'a kind the index does not know', trailers: { Doc: 'post/bad/en', Kind: 'sideways', Source: 'user', Branch: 'main', Version: 1 } },
];

for (const target of databaseTargets()) {
  describe(`recovery always starts on ${target}`, function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let store: EmbeddedStore | undefined;
    const open = () => openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });

    beforeEach(async () => {
      db = await freshDatabase(target);
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
      await db.cleanup();
    });

    it('quarantines each commit the index cannot hold; openStore, reindex and fsck --repair succeed', async () => {
      store = await open();
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
      await store.site('acme').doc('post', 'good').save({ content: { n: 1 } });
      await store.close();
      store = undefined;
      const repo = `${db.dataDir}/repos/acme.git`;
      const bad = DAMAGE.map((d, i) => plumbCommit(repo, { path: 'post/bad/en.json', content: `{"i": ${i}}\n`, message: versoMessage(`Damaged: ${d.name}`, d.trailers) }));
      // A good commit after the damage, left unindexed too: it must still come up.
      const good = plumbCommit(repo, { path: 'post/good/en.json', content: '{"n": 2}\n', message: versoMessage('Fine', { Doc: 'post/good/en', Kind: 'draft', Source: 'user', Branch: 'main', Version: 2 }) });

      store = await open();
      const fsck = await store.reconcile({ repair: false });
      const quarantined = fsck.issues.filter((i) => i.kind === 'quarantined_commit');
      expect(quarantined.map((q) => q.detail.split(' ')[1]!.replace(/:$/, '')).sort(), JSON.stringify(fsck.issues)).to.deep.equal(bad.map((b) => b.slice(0, 12)).sort());
      expect(fsck.issues.filter((i) => i.kind !== 'quarantined_commit')).to.deep.equal([]);
      const goodDoc = store.site('acme').doc('post', 'good');
      expect((await goodDoc.show(2)).commit).to.equal(good);
      expect((await goodDoc.save({ content: { n: 3 } })).number).to.equal(3);
      // The damaged document still takes saves.
      expect((await store.site('acme').doc('post', 'bad').save({ content: { ok: true } })).number).to.equal(1);

      await store.reindex({ site: 'acme' });
      const repaired = await store.reconcile({ repair: true, full: true });
      expect(repaired.ok, JSON.stringify(repaired.issues)).to.equal(true);
      await store.close();
      store = undefined;
      const snap = await snapshotIndex(db);
      expect((snap.quarantine as Array<{ commit_hash: string }>).map((q) => q.commit_hash).sort()).to.deep.equal([...bad].sort());
      store = await open();
      gitFsckStrict(store.repoDir('acme'));
    });

    it('a save that finds a damaged orphan of its own document quarantines it and goes on', async () => {
      store = await open();
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
      const doc = () => store!.site('acme').doc('post', 'bad');
      await doc().save({ content: { n: 1 } });
      plumbCommit(store.repoDir('acme'), { path: 'post/bad/en.json', content: '{"n": 2}\n', message: versoMessage('NUL', { Doc: 'post/bad/en', Kind: 'draft', Source: 'user', Branch: 'main', Version: 2, Metadata: '{"a":"\\u0000"}' }) });
      expect((await doc().save({ content: { n: 3 } })).number).to.equal(2);
      const fsck = await store.reconcile({ repair: false });
      expect(fsck.issues.map((i) => i.kind)).to.deep.equal(['quarantined_commit']);
    });
  });
}
