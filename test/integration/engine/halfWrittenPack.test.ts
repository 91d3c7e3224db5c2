/**
 * A save killed between writing its pack and its index (lib/objects/writePack.ts): the store
 * opens as usual, the orphan is invisible (no reader finds packs without an index, no ref
 * points into it), `git fsck --strict` is clean, and `verso gc` removes it once it is old.
 */
import { expect } from 'chai';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore } from '../../../lib/sdk/openStore.js';
import { createContext } from '../../../lib/objects/context.js';
import { frameObject } from '../../../lib/objects/gitObject.js';
import { writePack } from '../../../lib/objects/writePack.js';
import { databaseTargets, freshDatabase } from '../../helpers/databases.js';
import { git, gitFsckStrict } from '../../helpers/gitCli.js';

for (const target of databaseTargets()) {
  describe(`a half-written pack on ${target}`, function () {
    this.timeout(120_000);

    it('the store opens, saves and reads, fsck is clean, and gc removes the orphan once old', async () => {
      const db = await freshDatabase(target);
      const open = () => openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      try {
        let store = await open();
        await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
        await store.site('acme').doc('page', 'home', 'en').save({ content: { title: 'Before' } });
        const repoDir = store.repoDir('acme');
        await store.close();

        // What a kill between the two renames leaves, plus temp files of a kill before them.
        const c = createContext({ gitdir: repoDir });
        const orphan = frameObject('blob', Buffer.from('{"title":"Lost"}\n'));
        const name = (await writePack(c, [orphan]))!;
        await unlink(join(repoDir, 'objects/pack', `${name}.idx`));
        writeFileSync(join(repoDir, 'objects/pack/tmp_idx_00000000deadbeef'), 'half an index');

        store = await open();
        const doc = store.site('acme').doc('page', 'home', 'en');
        expect((await doc.show('draft')).content).to.deep.equal({ title: 'Before' });
        await doc.save({ content: { title: 'After' } });
        expect((await doc.show('draft')).content).to.deep.equal({ title: 'After' });
        expect(gitFsckStrict(repoDir)).to.equal('');
        expect(() => git(repoDir, 'cat-file', '-e', orphan.oid)).to.throw();

        const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
        for (const f of [`${name}.pack`, 'tmp_idx_00000000deadbeef']) utimesSync(join(repoDir, 'objects/pack', f), old, old);
        await store.gc({ site: 'acme' });
        await store.close();
        const left = readdirSync(join(repoDir, 'objects/pack'));
        expect(left).to.not.include(`${name}.pack`).and.not.include('tmp_idx_00000000deadbeef');
        expect(left.filter((f) => f.endsWith('.idx'))).to.have.length(1);
        expect(gitFsckStrict(repoDir)).to.equal('');
      } finally {
        await db.cleanup();
      }
    });
  });
}
