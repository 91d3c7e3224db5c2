/**
 * One contender in an open race: loads everything, prints {ready}, waits for the file `go` (the
 * parent creates it once every contender is ready, so all act within a few ms), then either takes the data-dir lock (`lock`) or opens
 * the store and saves `count` versions of one document (`store`). Prints one JSON line:
 * {won, numbers?} or {won: false, code}. A winner holds on until the file `release` exists
 * (the parent creates it once every contender has answered), so every loser tries while it
 * still holds.
 * args: mode dataDir databaseUrl|'-' go release count ('-' as go: act at once)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { acquireDirLock } from '../../../lib/db/dirLock.js';
import { openStore } from '../../../lib/sdk/openStore.js';

const [mode, dataDir, url, go, release, count] = process.argv.slice(2) as [string, string, string, string, string, string];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const released = async () => {
  while (!existsSync(release)) await sleep(20);
};
process.stdout.write(JSON.stringify({ ready: process.pid }) + '\n');
while (go !== '-' && !existsSync(go)) await sleep(2);
try {
  if (mode === 'lock') {
    const lock = await acquireDirLock(join(dataDir, 'pg.lock'));
    process.stdout.write(JSON.stringify({ won: true }) + '\n');
    await released();
    await lock.release();
  } else {
    const store = await openStore({ dataDir, databaseUrl: url === '-' ? undefined : url });
    const numbers: number[] = [];
    for (let i = 0; i < Number(count); i++) numbers.push((await store.site('acme').doc('post', 'race').save({ content: { pid: process.pid, i } })).number);
    process.stdout.write(JSON.stringify({ won: true, numbers }) + '\n');
    await released();
    await store.close();
  }
} catch (err) {
  process.stdout.write(JSON.stringify({ won: false, code: (err as { code?: string }).code ?? String(err) }) + '\n');
}
