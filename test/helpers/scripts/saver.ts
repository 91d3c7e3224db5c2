/**
 * A writer process for concurrency and crash tests: opens the store, saves `count` versions and
 * prints one JSON line per ACKNOWLEDGED save (so the parent knows exactly what was promised).
 * args: dataDir databaseUrl|'-' site docKeyPattern count tag
 */
import { openStore } from '../../../lib/sdk/openStore.js';

const [dataDir, url, site, keyPattern, count, tag] = process.argv.slice(2) as [string, string, string, string, string, string];
const store = await openStore({ dataDir, databaseUrl: url === '-' ? undefined : url, maxBytes: 1 << 20 });
for (let i = 0; i < Number(count); i++) {
  const key = keyPattern.replace('%i', String(i));
  const v = await store.site(site).doc('post', key).save({ content: { tag, i }, message: `${tag} ${i}`, author: tag });
  process.stdout.write(JSON.stringify({ key, number: v.number, commit: v.commit }) + '\n');
}
await store.close();
