/**
 * `npm run bench [-- --quick] [-- --json] [-- --only name,name] [-- --db pg|pglite|both]`
 *
 * Runs every scenario against its baseline in this one process and prints a table; with --json
 * the last line of stdout is one JSON object { scenarios: [{ name, unit, verso, baseline,
 * baselineName, ratio }] } (CONTRACT.md). Progress goes to stderr. Not part of `npm test`.
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { BenchEnv, type BenchOptions, type DbKind, type Row, type Scenario } from './env.js';
import { round } from './stats.js';
import { saveLatency } from './scenarios/saveLatency.js';
import { throughput } from './scenarios/throughput.js';
import { docScaling } from './scenarios/docScaling.js';
import { history } from './scenarios/history.js';
import { diffScenario } from './scenarios/diff.js';
import { disk } from './scenarios/disk.js';
import { http } from './scenarios/http.js';
import { autoDisk } from './scenarios/autoDisk.js';
import { integrations } from './scenarios/integrations.js';
import { pushLoad } from './scenarios/pushLoad.js';
import { webhookSave } from './scenarios/webhookSave.js';
import { searchScenario } from './scenarios/search.js';
import { gateways } from './scenarios/gateways.js';

const SCENARIOS: Scenario[] = [saveLatency, throughput, docScaling, history, diffScenario, disk, autoDisk, http, pushLoad, integrations, webhookSave, searchScenario, gateways];

function parseArgs(argv: string[]): { quick: boolean; json: boolean; only?: string[]; dbs: DbKind[] } {
  const out: { quick: boolean; json: boolean; only?: string[]; dbs: DbKind[] } = { quick: false, json: false, dbs: ['pg', 'pglite'] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') out.quick = true;
    else if (a === '--json') out.json = true;
    else if (a.startsWith('--only')) out.only = value().split(',');
    else if (a.startsWith('--db')) {
      const v = value();
      if (v !== 'pg' && v !== 'pglite' && v !== 'both') throw new Error('--db is pg, pglite or both');
      out.dbs = v === 'both' ? ['pg', 'pglite'] : [v];
    } else if (a === '--') continue;
    else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function table(rows: Row[]): string {
  const head = ['scenario', 'unit', 'verso', 'baseline', 'ratio', 'baseline is'];
  const body = rows.map((r) => [r.name, r.unit, fmt(r.verso), fmt(r.baseline), Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : '—', r.baselineName]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  const env = await BenchEnv.create();
  const opts: BenchOptions = { quick: args.quick, dbs: args.dbs, log, env };
  const started = performance.now();
  const rows: Row[] = [];
  const notes: string[] = [];
  const load = [loadavg()[0]!];
  log(`verso bench: ${args.quick ? 'quick' : 'full'} run on ${cpus().length} cpus, ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} free), dbs ${args.dbs.join('+')}, load ${load[0]!.toFixed(2)}`);
  try {
    for (const s of SCENARIOS) {
      if (args.only && !args.only.some((o) => s.name.includes(o))) continue;
      const t = performance.now();
      log(`${s.name} …`);
      const r = await s.run(opts);
      rows.push(...r.rows);
      notes.push(...(r.notes ?? []));
      load.push(loadavg()[0]!);
      log(`${s.name} done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    const t = performance.now();
    await env.cleanup();
    log(`cleanup done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const seconds = (performance.now() - started) / 1000;
  notes.push(`total ${seconds.toFixed(0)} s; 1-minute load average between scenarios: ${load.map((l) => l.toFixed(1)).join(', ')}`);
  const out = args.json ? process.stderr : process.stdout;
  out.write(`\n${table(rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  if (args.json) {
    const scenarios = rows.map((r) => ({ name: r.name, unit: r.unit, verso: round(r.verso, 3), baseline: round(r.baseline, 3), baselineName: r.baselineName, ratio: round(r.ratio, 3) }));
    process.stdout.write(`${JSON.stringify({ scenarios })}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
