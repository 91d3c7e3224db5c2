/**
 * The outbox survives the process: deliveries pending when a gateway is SIGKILLed go out after
 * it restarts, exactly once per (webhook, event) as the receiver counts webhook-ids. And two
 * gateways on one PostgreSQL, both dispatching, never deliver one event twice.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { startServer } from '../../../gateway/serve.js';
import { connect } from '../../../lib/sdk/remote/connect.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { eventually, freePort, startReceiver, type Receiver } from '../../helpers/receiver.js';
import { FAST_WEBHOOKS, setEnv } from './harness.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const ADMIN_KEY = 'events-test-admin-key-0123456789';

/** Starts the gateway script; resolves with the child and its URL once it listens. */
function startChild(db: TestDatabase, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/scripts/gateway.ts', db.dataDir, db.databaseUrl ?? '-'], {
      cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`gateway exited (${code}) before listening: ${err}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const idsOf = (r: Receiver) => r.received.filter((x) => x.status === 200).map((x) => String(x.headers['webhook-id']));

for (const target of databaseTargets()) {
  describe(`webhook outbox across a SIGKILL on ${target}`, function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let child: ChildProcess | undefined;
    let receiver: Receiver | undefined;

    before(async function () {
      db = await freshDatabase(target);
    });
    after(async function () {
      if (child) await kill(child);
      await receiver?.close();
      await db?.cleanup();
    });

    it('delivers what was pending at the kill after the restart, once per (webhook, event)', async function () {
      // Slow retries: the deliveries are still pending (one failed attempt each) at the kill.
      // The default timeout: a request that times out may still have arrived (at least once),
      // and a PGlite process opening its store can stall its event loop for a second.
      const env = { ...FAST_WEBHOOKS, VERSO_ADMIN_KEY: ADMIN_KEY, VERSO_WEBHOOK_RETRY_MS: '1500', VERSO_WEBHOOK_TIMEOUT_MS: '10000', VERSO_SECRET_KEY: randomBytes(32).toString('hex') };
      const first = await startChild(db, env);
      child = first.child;
      const admin = connect({ baseUrl: first.url, apiKey: ADMIN_KEY });
      await admin.createSite({ id: 'acme', name: 'Acme' });
      const port = await freePort(); // the receiver is down until after the restart
      const hook = await admin.site('acme').createWebhook({ url: `http://127.0.0.1:${port}/hook`, events: ['version.create'] });
      for (const key of ['a', 'b', 'c']) await admin.site('acme').doc('page', key).save({ content: { title: key } });
      await eventually(async () => {
        const { items } = await admin.site('acme').deliveries(hook.id);
        return items.length === 3 && items.every((d) => d.attempts >= 1 && d.status === 'pending') ? true : undefined;
      }, 30_000, 'three pending deliveries with a failed attempt each');
      await kill(child);

      receiver = await startReceiver({ port });
      const second = await startChild(db, env);
      child = second.child;
      const again = connect({ baseUrl: second.url, apiKey: ADMIN_KEY });
      const delivered = await eventually(async () => {
        const { items } = await again.site('acme').deliveries(hook.id);
        return items.every((d) => d.status === 'delivered') ? items : undefined;
      }, 60_000, 'all delivered after the restart');
      expect(delivered).to.have.length(3);
      expect(idsOf(receiver).sort()).to.deep.equal(delivered.map((d) => d.id).sort());
      const bodies = receiver.received.map((r) => (JSON.parse(r.body) as { data: { key: string } }).data.key).sort();
      expect(bodies).to.deep.equal(['a', 'b', 'c']);
    });
  });
}

if (databaseTargets().includes('postgres')) {
  describe('two gateways on one PostgreSQL', function () {
    this.timeout(180_000);

    it('never deliver one event twice', async function () {
      const restore = setEnv({ ...FAST_WEBHOOKS, VERSO_WEBHOOK_POLL_MS: '5', VERSO_SECRET_KEY: randomBytes(32).toString('hex') });
      const db = await freshDatabase('postgres');
      const otherDir = await mkdtemp(join(tmpdir(), 'events-second-gateway-'));
      const receiver = await startReceiver();
      const storeA = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      const storeB = await openStore({ dataDir: otherDir, databaseUrl: db.databaseUrl });
      const quiet = pino({ level: 'silent' });
      const a = await startServer({ store: storeA, port: 0, logger: quiet, rateLimit: false });
      const b = await startServer({ store: storeB, port: 0, logger: quiet, rateLimit: false });
      try {
        const key = (await storeA.createKey({ role: 'admin' })).key;
        const admin = connect({ baseUrl: a.url, apiKey: key });
        await admin.createSite({ id: 'acme', name: 'Acme' });
        // Through gateway B, so the webhook secret is encrypted by the other process.
        await connect({ baseUrl: b.url, apiKey: key }).site('acme').createWebhook({ url: receiver.url, events: ['version.create'] });
        const site = admin.site('acme');
        await Promise.all(Array.from({ length: 40 }, (_, i) => site.doc('page', `p-${i}`).save({ content: { i } })));
        await receiver.until((r) => r.length >= 40, 60_000);
        // Leave time for a duplicate to show up: every due row is long claimed by then.
        await new Promise((r) => setTimeout(r, 1500));
        const ids = idsOf(receiver);
        expect(ids).to.have.length(40);
        expect(new Set(ids).size).to.equal(40);
        // Every event is consumed once its deliveries are done (seed 001's consumed_at).
        const client = new pg.Client({ connectionString: db.databaseUrl });
        await client.connect();
        try {
          const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM change_events WHERE consumed_at IS NULL');
          expect(Number(rows[0]!.n)).to.equal(0);
        } finally {
          await client.end();
        }
      } finally {
        await a.close();
        await b.close();
        await storeA.close();
        await storeB.close();
        await receiver.close();
        await rm(otherDir, { recursive: true, force: true });
        await db.cleanup();
        restore();
      }
    });
  });
}
