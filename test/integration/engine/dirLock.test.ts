/**
 * The embedded data-dir lock (issue: 4 processes calling openStore at the same instant: 2–3
 * opened the same PGlite in 5 of 8 rounds, and with writes two processes acknowledged the same
 * version numbers). Real processes race; exactly one may win every round, including rounds
 * that start from a stale lock left by a SIGKILLed holder. On PostgreSQL there is no dir lock:
 * every process opens, and the numbers they acknowledge never collide.
 */
import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../../lib/sdk/openStore.js';
import { startScript } from '../../helpers/child.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';

const RACER = 'test/helpers/scripts/openRacer.ts';
type Outcome = { won: boolean; code?: string; numbers?: number[] };

/** N contenders acting at one instant; a winner holds until every contender has answered. */
async function race(n: number, mode: 'lock' | 'store', db: TestDatabase, count = 0): Promise<Outcome[]> {
  const tag = `${Date.now()}-${Math.random()}`;
  const go = join(db.dataDir, `go-${tag}`);
  const release = join(db.dataDir, `release-${tag}`);
  const runs = Array.from({ length: n }, () => startScript(RACER, [mode, db.dataDir, db.databaseUrl ?? '-', go, release, String(count)]));
  try {
    await Promise.all(runs.map((r) => r.message(1)));
    writeFileSync(go, '');
    const outcomes = (await Promise.all(runs.map((r) => r.message(2)))) as Outcome[];
    writeFileSync(release, '');
    await Promise.all(runs.map((r) => r.exited));
    return outcomes;
  } finally {
    await Promise.all(runs.map((r) => r.kill()));
  }
}

/** Leaves <dataDir>/pg.lock behind as a holder killed with SIGKILL would. */
async function staleLock(db: TestDatabase): Promise<void> {
  const holder = startScript(RACER, ['lock', db.dataDir, '-', '-', join(db.dataDir, 'never'), '0']);
  expect(await holder.message(2)).to.deep.equal({ won: true });
  await holder.kill();
  expect(readFileSync(join(db.dataDir, 'pg.lock'), 'utf8')).to.include(String(holder.pid));
}

for (const target of databaseTargets()) {
  describe(`data-dir lock on ${target}`, function () {
    this.timeout(600_000);
    let db: TestDatabase;

    beforeEach(async () => {
      db = await freshDatabase(target);
      const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
      await store.close();
    });
    afterEach(() => db.cleanup());

    if (target === 'pglite') {
      it('exactly one of 4 processes takes the lock in each of 8 rounds, half of them over a stale lock', async () => {
        for (let round = 0; round < 8; round++) {
          if (round % 2 === 1) await staleLock(db);
          const outcomes = await race(4, 'lock', db);
          expect(outcomes.filter((o) => o.won), `round ${round}: ${JSON.stringify(outcomes)}`).to.have.length(1);
          expect(outcomes.filter((o) => !o.won).map((o) => o.code)).to.deep.equal(['conflict', 'conflict', 'conflict']);
          expect(existsSync(join(db.dataDir, 'pg.lock')), 'the winner released its lock').to.equal(false);
        }
      });
    }

    it('processes opening the store at one instant and saving never acknowledge one number twice', async () => {
      for (let round = 0; round < 2; round++) {
        const outcomes = await race(4, 'store', db, 3);
        const winners = outcomes.filter((o) => o.won);
        // Embedded PGlite admits one process; PostgreSQL admits all of them.
        expect(winners, JSON.stringify(outcomes)).to.have.length(target === 'pglite' ? 1 : 4);
        const acked = winners.flatMap((o) => o.numbers!);
        expect(new Set(acked).size, `acknowledged ${acked.join(',')}`).to.equal(acked.length);
        const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
        const log = await store.site('acme').doc('post', 'race').log({ limit: 100 });
        await store.close();
        expect(log.items.map((v) => v.number).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: acked.length * (round + 1) }, (_, i) => i + 1));
      }
    });
  });
}
