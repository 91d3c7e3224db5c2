/**
 * A gateway process for restart tests: opens the store, registers VERSO_ADMIN_KEY, serves on
 * an ephemeral port with its webhook dispatcher, prints {"url"} once listening, and runs until
 * killed. args: dataDir databaseUrl|'-'
 */
import { pino } from 'pino';
import { startServer } from '../../../gateway/serve.js';
import { openStore } from '../../../lib/sdk/openStore.js';

const [dataDir, url] = process.argv.slice(2) as [string, string];
const store = await openStore({ dataDir, databaseUrl: url === '-' ? undefined : url });
if (process.env.VERSO_ADMIN_KEY) await store.ensureAdminKey(process.env.VERSO_ADMIN_KEY);
const server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
