/**
 * `verso serve` stopped with SIGTERM right after its banner exits 0, every time: the signal
 * must find a handler however soon it comes (a supervisor stopping a just-started server, a
 * test that only needed the banner). Repeated, because the failure was a race.
 */
import { expect } from 'chai';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { startServe } from './harness.js';

for (const target of databaseTargets()) {
  describe(`verso serve on ${target}: SIGTERM right after the banner`, function () {
    this.timeout(300_000);
    let db: TestDatabase;
    let local: string[];

    before(async () => {
      db = await freshDatabase(target);
      local = ['--data-dir', db.dataDir, ...(db.databaseUrl ? ['--database-url', db.databaseUrl] : []), '--port', '0'];
    });
    after(async () => db?.cleanup());

    it('exits with code 0, not by the signal, ten times in a row', async () => {
      const outcomes: Array<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> = [];
      for (let i = 0; i < 10; i++) {
        const server = await startServe(local, { timeoutMs: 120_000 });
        const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => server.child.on('exit', (code, signal) => r({ code, signal })));
        server.child.kill('SIGTERM');
        const { code, signal } = await ended;
        outcomes.push({ code, signal, stderr: server.stderr() });
      }
      for (const [i, o] of outcomes.entries()) {
        expect({ run: i, code: o.code, signal: o.signal }, o.stderr).to.deep.equal({ run: i, code: 0, signal: null });
        expect(o.stderr, `run ${i}`).to.include('verso: stopped');
      }
    });
  });
}
