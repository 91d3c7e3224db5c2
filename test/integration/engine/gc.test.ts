/** `store.gc()` and `verso gc`: pack a site's loose objects now; history reads back the same. */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { openStore } from '../../../lib/sdk/openStore.js';
import { NotFoundError } from '../../../lib/errors/index.js';
import { databaseTargets, freshDatabase } from '../../helpers/databases.js';
import { verso } from '../cli/harness.js';

for (const target of databaseTargets()) {
  describe(`gc (${target})`, function () {
    it('packs every loose object of a site, keeps history readable, and reports it (SDK and CLI)', async () => {
      const db = await freshDatabase(target);
      const local = ['--data-dir', db.dataDir, ...(db.databaseUrl ? ['--database-url', db.databaseUrl] : [])];
      try {
        const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
        await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
        const doc = store.site('acme').doc('page', 'home', 'en');
        for (let i = 1; i <= 12; i++) await doc.save({ content: { title: `Home ${i}` } });
        const report = await store.gc({ site: 'acme' });
        expect(report.sites).to.have.length(1);
        expect(report.sites[0]!.site).to.equal('acme');
        expect(report.sites[0]!.packed).to.be.greaterThan(12 * 3);
        expect(report.sites[0]!.loose).to.equal(0);
        expect((await doc.show(1)).content).to.deep.equal({ title: 'Home 1' });
        expect((await doc.diff(1, 12, { format: 'json' })).fields).to.have.length(1);
        const err = await store.gc({ site: 'nope' }).then(() => undefined, (e: unknown) => e);
        expect(err).to.be.instanceOf(NotFoundError);
        await doc.save({ content: { title: 'After gc' } });
        const repoDir = store.repoDir('acme');
        await store.close();
        execFileSync('git', ['--git-dir', repoDir, 'fsck', '--strict'], { stdio: 'pipe' });

        const cli = await verso(['gc', 'acme', '--json', ...local]);
        expect(cli.code, cli.stderr).to.equal(0);
        const out = JSON.parse(cli.stdout) as { sites: Array<{ site: string; packed: number; loose: number }> };
        expect(out.sites).to.deep.equal([{ site: 'acme', packed: out.sites[0]!.packed, loose: 0 }]);
        expect(out.sites[0]!.packed).to.be.greaterThan(0);
      } finally {
        await db.cleanup();
      }
    });
  });
}
