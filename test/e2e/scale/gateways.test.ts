/**
 * Several gateways (issue 12): three `verso serve` processes on one PostgreSQL database and one
 * data dir, started at the same instant, 24 concurrent writers spread over them on the same
 * documents, a `git push` through one of them, and one gateway SIGKILLed mid-run. Then: every
 * acknowledged save is there with its commit and content, numbers are distinct per document,
 * `git fsck --strict` is clean, the index equals what `reindex` builds from Git, and a key
 * revoked on one gateway is refused by another after the documented delay (5 s key cache).
 * PostgreSQL only: an embedded PGlite data dir has exactly one owner process by design.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../../lib/sdk/remote/index.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { Store } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { gitAsync, git } from '../../helpers/git.js';
import { gitFsckStrict } from '../../helpers/gitCli.js';
import { snapshotSite } from '../../helpers/snapshot.js';
import { startServe, type ServeProcess } from '../../integration/cli/harness.js';

const WRITERS = 24;
const SAVES_EACH = 12;
const DOCS = 4;

interface Ack {
  doc: string;
  number: number;
  commit: string;
  title: string;
}

if (databaseTargets().includes('postgres')) {
  describe('three gateways on one PostgreSQL database and one data dir', function () {
    this.timeout(300_000);
    let db: TestDatabase;
    let gateways: ServeProcess[] = [];
    const adminKey = randomBytes(24).toString('hex');

    before(async () => {
      db = await freshDatabase('postgres');
      const args = ['--port', '0', '--no-demo', '--data-dir', db.dataDir, '--database-url', db.databaseUrl!];
      // All at once: migrations and the admin key registration must cope with each other.
      gateways = await Promise.all([0, 1, 2].map(() => startServe(args, { env: { VERSO_ADMIN_KEY: adminKey } })));
    });
    after(async () => {
      for (const g of gateways) g.child.kill('SIGKILL');
      await Promise.all(gateways.map((g) => g.exited));
      await db?.cleanup();
    });

    it('keeps every acknowledged save, with distinct numbers, through a killed gateway and a push', async () => {
      const stores: Store[] = gateways.map((g) => connect({ baseUrl: g.url, apiKey: adminKey }));
      await stores[0]!.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
      const acks: Ack[] = [];
      let killed = false;
      let done = 0;
      const writer = async (w: number) => {
        const doc = `p${w % DOCS}`;
        for (let i = 0; i < SAVES_EACH; i++) {
          // Writers of the killed gateway move to the others, as a load balancer would.
          const g = killed && w % 3 === 2 ? w % 2 : w % 3;
          const title = `w${w} i${i}`;
          try {
            const v = await stores[g]!.site('acme').doc('page', doc, 'en').save({ content: { title }, author: `writer ${w}` });
            acks.push({ doc, number: v.number, commit: v.commit, title });
          } catch (err) {
            // Only a save on the gateway being killed may fail (not acknowledged: no promise).
            if (!(killed && g === 2)) throw err;
          }
          if (++done === Math.floor((WRITERS * SAVES_EACH) / 3)) {
            killed = true;
            gateways[2]!.child.kill('SIGKILL');
          }
        }
      };
      const push = async () => {
        const work = await mkdtemp(join(tmpdir(), 'verso-gw-push-'));
        try {
          const url = gateways[1]!.url.replace('http://', `http://verso:${adminKey}@`);
          git(work, ['clone', '-q', `${url}/git/acme.git`, 'clone']);
          const clone = join(work, 'clone');
          await mkdir(join(clone, 'page', 'pushed'), { recursive: true });
          await writeFile(join(clone, 'page', 'pushed', 'en.json'), '{"title":"From git"}\n');
          git(clone, ['add', '.']);
          git(clone, ['commit', '-q', '-m', 'Pushed page']);
          // A branch of its own: pushes to a branch that takes steady saves race them (docs/git.md).
          const r = await gitAsync(clone, ['push', '-q', 'origin', 'HEAD:refs/heads/import']);
          expect(r.status, r.stderr).to.equal(0);
        } finally {
          await rm(work, { recursive: true, force: true });
        }
      };
      await Promise.all([...Array.from({ length: WRITERS }, (_, w) => writer(w)), push()]);
      expect(killed).to.equal(true);
      expect(acks.length).to.be.greaterThan((WRITERS * SAVES_EACH * 2) / 3);

      // Every acknowledged save is there, as acknowledged, with a number of its own.
      const live = stores[0]!;
      for (let d = 0; d < DOCS; d++) {
        const mine = acks.filter((a) => a.doc === `p${d}`);
        expect(new Set(mine.map((a) => a.number)).size).to.equal(mine.length);
      }
      for (const a of acks) {
        const v = await live.site('acme').doc('page', a.doc, 'en').show(a.number);
        expect(v.commit).to.equal(a.commit);
        expect(v.content).to.deep.equal({ title: a.title });
      }
      const pushed = await live.site('acme').doc('page', 'pushed', 'en').log({ branch: 'import' });
      expect(pushed.items.map((v) => v.source)).to.deep.equal(['git']);

      // A key revoked on one gateway is refused by another after the documented delay.
      const editor = await live.createKey({ role: 'editor', site: 'acme', name: 'short-lived' });
      const other = connect({ baseUrl: gateways[1]!.url, apiKey: editor.key });
      await other.site('acme').doc('page', 'p0', 'en').log({ limit: 1 });
      await live.revokeKey(editor.id);
      await new Promise((r) => setTimeout(r, 5_500));
      const refused = await other.site('acme').doc('page', 'p0', 'en').log({ limit: 1 }).then(() => 'accepted', (e: { code?: string }) => e.code);
      expect(refused).to.equal('unauthorized');

      // Git is clean, and the index is what Git alone rebuilds.
      const before = await snapshotSite(live, 'acme');
      for (const g of gateways.slice(0, 2)) g.child.kill('SIGTERM');
      await Promise.all(gateways.map((g) => g.exited));
      const embedded = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      try {
        gitFsckStrict(embedded.repoDir('acme'));
        await embedded.reindex({ site: 'acme' });
        expect(await snapshotSite(embedded, 'acme')).to.deep.equal(before);
      } finally {
        await embedded.close();
      }
    });
  });
}
