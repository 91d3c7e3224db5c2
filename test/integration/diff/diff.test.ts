/**
 * Issue 8 item 9: a large diff must not stall the gateway, and the diff cache must answer with
 * the right document's headers. Over real HTTP, on PGlite and PostgreSQL.
 */
import { expect } from 'chai';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../../gateway/serve.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';

const lines = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag} line ${i}`).join('\n') + '\n';

for (const target of databaseTargets()) {
  describe(`diffs off the event loop (${target})`, function () {
    let db: TestDatabase;
    let store: EmbeddedStore;
    let server: RunningServer;
    let auth: Record<string, string>;

    before(async () => {
      db = await freshDatabase(target);
      store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
      auth = { authorization: `Bearer ${(await store.createKey({ role: 'admin', name: 'diff test' })).key}` };
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
    });
    after(async () => {
      await server?.close();
      await store?.close();
      await db?.cleanup();
    });

    it('answers /healthz while a 20,000-line diff computes, and the diff comes back coarse but correct', async () => {
      const doc = store.site('acme').doc('notes', 'big', 'en');
      await doc.save({ content: lines('old', 20_000), format: 'text' });
      await doc.save({ content: lines('new', 20_000), format: 'text' });
      const order: string[] = [];
      const diff = fetch(`${server.url}/v1/sites/acme/docs/notes/big/en/diff?from=1&to=2`, { headers: auth }).then(async (r) => {
        order.push('diff');
        return { status: r.status, body: (await r.json()) as { coarse?: boolean; stats: { additions: number } } };
      });
      // Give the diff request a head start so that it is computing when the health check comes.
      await new Promise((r) => setTimeout(r, 50));
      const health = await fetch(`${server.url}/healthz`);
      order.push('healthz');
      const answer = await diff;
      expect(health.status).to.equal(200);
      expect(order).to.deep.equal(['healthz', 'diff']);
      expect(answer.status).to.equal(200);
      expect(answer.body.coarse).to.equal(true);
      expect(answer.body.stats.additions).to.equal(20_000);
    });

    it('keys cached diffs by path and version numbers too, not only by the two blobs', async () => {
      const site = store.site('acme');
      for (const key of ['first', 'second']) {
        const d = site.doc('notes', key, 'en');
        await d.save({ content: 'alpha\n', format: 'text' });
        await d.save({ content: 'beta\n', format: 'text' });
      }
      const third = site.doc('notes', 'second', 'en');
      await third.save({ content: 'alpha\n', format: 'text' });
      await third.save({ content: 'beta\n', format: 'text' });
      const a = await site.doc('notes', 'first', 'en').diff(1, 2);
      const b = await third.diff(1, 2);
      const c = await third.diff(3, 4);
      expect(a.unified).to.contain('a/notes/first/en.txt');
      expect(b.unified).to.contain('a/notes/second/en.txt').and.not.contain('first');
      expect(c.unified).to.contain('version 3').and.contain('version 4');
      expect(c.from.number).to.equal(3);
    });

    it('gives the compare page its rows from the same workers, coarse past the budget', async () => {
      const rows = await store.diffRows({ a: lines('old', 20_000), b: lines('new', 20_000), view: 'lines' });
      expect(rows.coarse).to.equal(true);
      expect(rows.rows).to.have.length(20_000);
      const small = await store.diffRows({ a: 'a\nb\n', b: 'a\nc\n', view: 'lines' });
      expect(small.coarse).to.equal(false);
      expect(small.rows.map((r) => r.op)).to.deep.equal(['equal', 'change']);
    });
  });
}
