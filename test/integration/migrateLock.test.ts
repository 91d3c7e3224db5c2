/**
 * Migrations never stop a start: gateways starting together on one PostgreSQL all come up (knex
 * alone fails all but one with MigrationLocked), and a migrator killed mid-way (its lock row
 * left set) does not brick the next start. On PGlite and PostgreSQL.
 */
import { expect } from 'chai';
import { openDatabase } from '../../lib/db/connection.js';
import { migrateLatest, migrationStatus } from '../../lib/db/migrate.js';
import { openStore } from '../../lib/sdk/openStore.js';
import { databaseTargets, freshDatabase } from '../helpers/databases.js';

for (const target of databaseTargets()) {
  describe(`migrations under concurrency and crashes (${target})`, function () {
    it('starts after a migrator died holding the lock row', async () => {
      const db = await freshDatabase(target);
      try {
        const first = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
        await first.close();
        // What a SIGKILL during a migration leaves behind.
        const raw = await openDatabase({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
        await raw.knex('verso_migrations_lock').update({ is_locked: 1 });
        await raw.close();
        const again = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
        await again.createSite({ id: 'acme', name: 'Acme' });
        expect((await again.listSites()).map((s) => s.id)).to.deep.equal(['acme']);
        await again.close();
      } finally {
        await db.cleanup();
      }
    });

    if (target === 'postgres') {
      it('lets four processes migrate one fresh database at the same instant', async () => {
        const db = await freshDatabase(target);
        const handles = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ dataDir: db.dataDir, databaseUrl: db.databaseUrl })));
        try {
          const results = await Promise.allSettled(handles.map((h) => migrateLatest(h.knex)));
          expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).to.deep.equal(['ok', 'ok', 'ok', 'ok']);
          expect((await migrationStatus(handles[0]!.knex)).pending).to.deep.equal([]);
        } finally {
          await Promise.all(handles.map((h) => h.close()));
          await db.cleanup();
        }
      });
    }
  });
}
