/**
 * The gateway installs hooks in every site repository in the background when it starts. Closing
 * it must stop that pass and wait for the install under way: a pass still writing after close()
 * resolved wrote into data dirs their owners had begun to remove (seen as ENOTEMPTY in the git
 * suites' clean-up).
 */
import { expect } from 'chai';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '../../../gateway/serve.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import { databaseTargets, freshDatabase } from '../../helpers/databases.js';
import { pino } from 'pino';

const SITES = 24;

/** Every file under each site repository's hooks/ with its size and mtime. */
async function hookFiles(reposDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const repo of (await readdir(reposDir)).sort()) {
    const dir = join(reposDir, repo, 'hooks');
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const n of names.sort()) {
      const s = await stat(join(dir, n)).catch(() => undefined);
      if (s) out.push(`${repo}/${n}:${s.size}:${s.mtimeMs}`);
    }
    const conf = await stat(join(reposDir, repo, 'config')).catch(() => undefined);
    out.push(`${repo}/config:${conf?.size}:${conf?.mtimeMs}`);
  }
  return out;
}

for (const target of databaseTargets()) {
  describe(`gateway shutdown and the background hook install on ${target}`, function () {
    this.timeout(180_000);

    it(`close() stops the background hook install of ${SITES} sites and waits for it: nothing changes after; the next start finishes it`, async () => {
      const db = await freshDatabase(target);
      const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      try {
        for (let i = 0; i < SITES; i++) await store.createSite({ id: `s${i}`, name: `S${i}`, locales: ['en'] });
        const server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), webhooks: false });
        await server.close();
        const reposDir = join(store.repoDir('s0'), '..');
        const atClose = await hookFiles(reposDir);
        await new Promise((r) => setTimeout(r, 1500));
        expect(await hookFiles(reposDir)).to.deep.equal(atClose);
        // close() stops the pass between sites; the next start installs what it skipped.
        const again = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), webhooks: false });
        const hooked = async () => (await hookFiles(reposDir)).filter((f) => /^s\d+\.git\/pre-receive:/.test(f)).length;
        for (let t = 0; t < 300 && (await hooked()) < SITES; t++) await new Promise((r) => setTimeout(r, 100));
        await again.close();
        expect(await hooked()).to.equal(SITES);
      } finally {
        await store.close();
        await db.cleanup();
      }
    });
  });
}
