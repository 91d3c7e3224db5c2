/**
 * `npx tsx bench/profileSave.ts [pg|pglite] [saves]`: the wall-clock timeline of single saves —
 * every fsync, file open/read/rename/mkdir, deflate and SQL statement with its start and end in
 * ms since the save began. This is the profile behind docs/benchmarks.md: it shows which steps
 * are serial round trips and which overlap. Not part of `npm run bench`.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexModule from 'knex';
import { EvolvingPage } from './content.js';
import { BenchEnv, openVerso, type DbKind } from './env.js';

type AnyFn = (...args: unknown[]) => unknown;

async function main(): Promise<void> {
  const kind = (process.argv[2] ?? 'pg') as DbKind;
  const shown = Number(process.argv[3] ?? 3);
  const env = await BenchEnv.create();
  try {
    const store = await openVerso(await env.target(kind, 'profile'));
    await store.createSite({ id: 'p', name: 'Profile', locales: ['en'] });
    const doc = store.site('p').doc('page', 'home', 'en');
    const page = new EvolvingPage(1);
    // 300 saves first: by then almost every objects/xx directory exists, as in a real repository.
    for (let i = 0; i < 300; i++) await doc.save({ content: page.next() });

    let t0 = 0;
    const events: Array<{ start: number; line: string }> = [];
    const span = <T>(label: string, detail: string, run: () => T): T => {
      const start = performance.now() - t0;
      const done = () => events.push({ start, line: `${start.toFixed(2).padStart(6)} → ${(performance.now() - t0).toFixed(2).padStart(6)}  ${label.padEnd(8)} ${detail}` });
      const out = run();
      if (out instanceof Promise) return out.finally(done) as T;
      done();
      return out;
    };
    const scratch = join(tmpdir(), `verso-profile-${process.pid}`);
    const fh = await open(scratch, 'w');
    const fileProto = Object.getPrototypeOf(fh) as Record<string, AnyFn>;
    await fh.close();
    await unlink(scratch);
    for (const name of ['sync', 'writeFile']) {
      const orig = fileProto[name]!;
      fileProto[name] = function (this: unknown, ...a: unknown[]) {
        return span(name === 'sync' ? 'fsync' : 'write', '', () => orig.apply(this, a));
      };
    }
    const require = createRequire(import.meta.url);
    const fsp = require('node:fs/promises') as Record<string, AnyFn>;
    for (const name of ['open', 'readFile', 'rename', 'mkdir']) {
      const orig = fsp[name]!;
      fsp[name] = function (this: unknown, ...a: unknown[]) {
        return span(name, String(a[0]).replace(env.root, ''), () => orig.apply(this, a));
      };
    }
    const zlib = require('node:zlib') as Record<string, AnyFn>;
    const deflateSync = zlib.deflateSync!;
    zlib.deflateSync = function (this: unknown, ...a: unknown[]) {
      return span('deflate', `${(a[0] as Buffer).length} bytes`, () => deflateSync.apply(this, a));
    };
    syncBuiltinESMExports();
    const clientProto = (knexModule as unknown as { Client: { prototype: Record<string, AnyFn> } }).Client.prototype;
    const query = clientProto.query!;
    clientProto.query = function (this: unknown, ...a: unknown[]) {
      const obj = a[1] as string | { sql?: string };
      return span('sql', (typeof obj === 'string' ? obj : obj.sql ?? '').slice(0, 70), () => query.apply(this, a));
    };

    for (let k = 0; k < shown; k++) {
      events.length = 0;
      t0 = performance.now();
      await doc.save({ content: page.next() });
      const total = performance.now() - t0;
      events.sort((a, b) => a.start - b.start);
      process.stdout.write(`--- save ${k + 1}: ${total.toFixed(2)} ms (${kind})\n${events.map((e) => e.line).join('\n')}\n`);
    }
    await store.close();
  } finally {
    await env.cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
