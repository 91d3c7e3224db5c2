/**
 * Several gateways (issue 12): 24 writers over HTTP, each saving its own document of one site,
 * first through one `verso serve` process, then spread over three on the same PostgreSQL
 * database and the same data dir. The baseline is the one gateway, measured in the same run.
 * Every save is checked afterwards: the numbers a document's saves were acknowledged with are
 * exactly 1..n, with n its latest version (nothing lost, nothing numbered twice); the test
 * test/e2e/scale/gateways.test.ts checks the rest (content, git fsck, reindex, a killed gateway).
 * PostgreSQL only: a PGlite data dir has one owner process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '../../lib/sdk/remote/index.js';
import type { Store } from '../../lib/types.js';
import { EvolvingPage } from '../content.js';
import type { BenchOptions, Row, Scenario, ScenarioResult, Target } from '../env.js';
import { ratio } from '../stats.js';

const WRITERS = 24;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Gateway {
  url: string;
  stop(): Promise<void>;
}

/** `verso serve` in a child process, resolved once it prints the address it listens on. */
function startGateway(t: Target, adminKey: string): Promise<Gateway> {
  const args = ['--import', 'tsx', 'lib/cli/main.ts', 'serve', '--port', '0', '--no-demo', '--data-dir', t.dataDir, '--database-url', t.databaseUrl!];
  const env: NodeJS.ProcessEnv = { ...process.env, VERSO_ADMIN_KEY: adminKey, LOG_LEVEL: 'warn', NO_COLOR: '1' };
  delete env.DATABASE_URL; // --database-url names the bench's database
  const child: ChildProcess = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`verso serve did not start: ${err}`)), 90_000);
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const url = /verso is serving (http:\/\/\S+)/.exec(out)?.[1];
      if (url && out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        done({ url, stop: async () => void (child.kill('SIGTERM'), await exited) });
      }
    });
    void exited.then(() => fail(new Error(`verso serve exited before listening: ${err}`)));
  });
}

/** Runs the writers through the given clients (writer w uses client w mod n); saves per second. */
async function drive(clients: Store[], pages: EvolvingPage[], perWriter: number, acks: Map<number, number[]>): Promise<number> {
  const t = performance.now();
  await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
    const doc = clients[w % clients.length]!.site('gw').doc('page', `writer-${w}`, 'en');
    for (let i = 0; i < perWriter; i++) {
      const v = await doc.save({ content: pages[w]!.next(), message: 'Edit', author: `writer ${w}` });
      acks.get(w)!.push(v.number);
    }
  }));
  return ((WRITERS * perWriter) / (performance.now() - t)) * 1000;
}

/** Throws unless each document's acknowledged numbers are exactly 1..latest. */
async function checkAcks(client: Store, acks: Map<number, number[]>): Promise<void> {
  for (const [w, numbers] of acks) {
    const latest = (await client.site('gw').doc('page', `writer-${w}`, 'en').log({ limit: 1 })).items[0]?.number ?? 0;
    const sorted = [...numbers].sort((a, b) => a - b);
    if (latest !== numbers.length || sorted.some((n, i) => n !== i + 1)) {
      throw new Error(`gateways: writer ${w} was acknowledged ${numbers.length} saves, latest version ${latest}: a save lost or numbered twice`);
    }
  }
}

async function run(o: BenchOptions): Promise<ScenarioResult> {
  if (!o.dbs.includes('pg')) return { rows: [], notes: ['gateways: skipped (PostgreSQL only; --db pglite)'] };
  const perWriter = o.quick ? 6 : 25;
  const t = await o.env.target('pg', 'gateways');
  const adminKey = randomBytes(24).toString('hex');
  const pages = Array.from({ length: WRITERS }, (_, w) => new EvolvingPage(500 + w));
  const acks = new Map(Array.from({ length: WRITERS }, (_, w) => [w, [] as number[]]));
  o.log(`  gateways: ${WRITERS} writers × ${perWriter} saves over HTTP, through 1 gateway, then 3`);

  const one = await startGateway(t, adminKey);
  let oneRate: number;
  try {
    const client = connect({ baseUrl: one.url, apiKey: adminKey });
    await client.createSite({ id: 'gw', name: 'Gateways', locales: ['en'] });
    await drive([client], pages, 2, acks); // warm-up: creates the documents
    oneRate = await drive([client], pages, perWriter, acks);
  } finally {
    await one.stop();
  }
  const three = await Promise.all([0, 1, 2].map(() => startGateway(t, adminKey)));
  let threeRate: number;
  try {
    const clients = three.map((g) => connect({ baseUrl: g.url, apiKey: adminKey }));
    await drive(clients, pages, 2, acks);
    threeRate = await drive(clients, pages, perWriter, acks);
    await checkAcks(clients[0]!, acks);
  } finally {
    await Promise.all(three.map((g) => g.stop()));
  }
  const rows: Row[] = [
    { name: 'throughput, 24 writers over HTTP, 3 gateways vs 1 (pg)', unit: 'saves/s', verso: threeRate, baseline: oneRate, baselineName: 'the same writers through 1 gateway', ratio: ratio(threeRate, oneRate) },
  ];
  const saves = [...acks.values()].reduce((n, a) => n + a.length, 0);
  return { rows, notes: [`gateways: ${saves} acknowledged saves on ${WRITERS} documents, every document numbered 1..n without a gap or a repeat`] };
}

export const gateways: Scenario = { name: 'gateways', run };
