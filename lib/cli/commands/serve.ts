/**
 * `verso serve`: the HTTP gateway (API, /ui pages, git smart HTTP) on the embedded store or on
 * DATABASE_URL. VERSO_ADMIN_KEY, when set, is registered as an admin key. On first start (no
 * sites yet) a demo site and an admin key are created and the key is printed, once.
 * SIGINT/SIGTERM close gracefully: in-flight requests finish, then the store closes; a second
 * signal exits at once.
 */
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { ConflictError } from '../../errors/index.js';
import type { CliContext } from '../context.js';
import { seedDemo, type DemoSeed } from '../demo.js';
import { globalsOf, intOption } from '../options.js';
import { palette, printJson, printLine, useColor } from '../output.js';
import { discardIfFresh, openEmbedded } from '../store.js';

interface ServeOptions {
  port: number;
  host: string;
  demo: boolean;
  trustProxy?: string;
}

/**
 * Express 'trust proxy': true, a hop count, or addresses/subnets ('loopback', '10.0.0.0/8').
 * Only behind a trusted proxy do X-Forwarded-Host and X-Forwarded-For count, e.g. for preview
 * links bound to a domain.
 */
export function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d{1,2}$/.test(value) ? Number(value) : value;
}


interface Banner {
  url: string;
  ui: string;
  docs: string;
  dataDir: string;
  database: 'pglite' | 'postgresql';
  demo?: DemoSeed;
  adminKey?: string;
}

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the HTTP gateway and the editors\' pages (/ui); first start creates a demo site')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', intOption('port', 0, 65535), 4000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--no-demo', 'do not create the demo site on first start')
    .option('--trust-proxy <value>', "trust X-Forwarded-* from this proxy: true, a hop count, or addresses such as loopback (env VERSO_TRUST_PROXY; default: trust none)")
    .addHelpText('after', '\nExamples:\n  verso serve\n  VERSO_ADMIN_KEY=$(openssl rand -hex 24) verso serve --port 8080 --host 0.0.0.0\n  DATABASE_URL=postgres://localhost/verso verso serve')
    .action(async (opts: ServeOptions, cmd: Command) => {
      const { io } = ctx;
      // Listen before anything else: a SIGTERM that comes while the store opens, or the moment
      // the banner is out, must find a handler (without one the process dies by the signal).
      const stop = shutdownSignals(ctx);
      const globals = globalsOf(cmd);
      const publicUrl = io.env.VERSO_PUBLIC_URL ?? (opts.port ? `http://${hostForUrl(opts.host)}:${opts.port}` : undefined);
      // One logger for the gateway and the store, so recovery (a stale lock removed) is logged.
      const { defaultLogger } = await import('../../../gateway/logging.js');
      const logger = defaultLogger();
      const discard = await discardIfFresh(cmd);
      const store = await openEmbedded(cmd, 'serve', { logger, ...(publicUrl ? { publicUrl } : {}) }).catch(async (err: unknown) => {
        await discard().catch(() => undefined);
        stop.off();
        throw err;
      });
      let close: () => Promise<void> = () => store.close();
      try {
        // Set-up: the operator's admin key, then the demo on a store with no sites.
        const envKey = io.env.VERSO_ADMIN_KEY;
        if (envKey) {
          await store.ensureAdminKey(envKey);
        }
        let demo: DemoSeed | undefined;
        let adminKey: string | undefined;
        if (opts.demo && (await store.listSites()).length === 0) {
          demo = await seedDemo(store);
          if (!envKey) adminKey = (await store.createKey({ role: 'admin', name: 'first-start admin' })).key;
        }

        const { startServer } = await import('../../../gateway/serve.js');
        const trustProxy = parseTrustProxy(opts.trustProxy ?? io.env.VERSO_TRUST_PROXY);
        const server = await startServer({ store, port: opts.port, host: opts.host, logger, ...(trustProxy !== undefined ? { trustProxy } : {}) }).catch((err: unknown) => {
          throw listenError(err, opts);
        });
        close = async () => {
          await server.close();
          await store.close();
        };

        const banner: Banner = {
          url: server.url,
          ui: `${server.url}/ui`,
          docs: `${server.url}/docs`,
          dataDir: store.dataDir,
          database: globals.databaseUrl ? 'postgresql' : 'pglite',
          ...(demo ? { demo } : {}),
          ...(adminKey ? { adminKey } : {}),
        };
        if (globals.json) printJson(io, banner);
        else printBanner(ctx, banner, Boolean(envKey));
      } catch (err) {
        // A refused start (a busy port) leaves no data dir it created behind.
        await close().catch(() => undefined);
        await discard().catch(() => undefined);
        stop.off();
        throw err;
      }

      // Run until a signal (it may have come already): the first closes gracefully.
      const signal = await stop.first;
      io.stderr.write(`verso: ${signal}, finishing in-flight requests…\n`);
      try {
        await close();
      } finally {
        stop.off();
      }
      io.stderr.write('verso: stopped\n');
    });
}

/**
 * SIGINT/SIGTERM from the start of `serve` to the end of its shutdown: `first` resolves with the
 * first signal; a second one exits at once.
 */
function shutdownSignals({ io }: CliContext): { first: Promise<NodeJS.Signals>; off: () => void } {
  let received = false;
  let wake!: (s: NodeJS.Signals) => void;
  const first = new Promise<NodeJS.Signals>((resolve) => (wake = resolve));
  const off = io.onShutdownSignal((s) => {
    if (received) {
      io.stderr.write('verso: second signal, exiting without waiting\n');
      process.exit(1);
    }
    received = true;
    wake(s);
  });
  return { first, off };
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function listenError(err: unknown, opts: ServeOptions): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return new ConflictError(`port ${opts.port} on ${opts.host} is in use; choose another with --port`, { port: opts.port }, err);
  if (code === 'EACCES') return new ConflictError(`not allowed to listen on port ${opts.port}; choose one above 1023 with --port`, { port: opts.port }, err);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new ConflictError(`cannot listen on ${opts.host}: no such local address`, { host: opts.host }, err);
  return err;
}

/**
 * How to run the CLI from the shell this server was started in: through npm in a checkout
 * (`verso` is on the PATH only once the package is installed), with the data dir when it is
 * not the default.
 */
export function cliCommand(env: NodeJS.ProcessEnv, dataDir: string): string {
  const viaNpm = env.npm_lifecycle_event !== undefined;
  const inside = relative(process.cwd(), dataDir);
  const shown = inside && !inside.startsWith('..') ? inside : resolve(dataDir);
  const dirArg = resolve(dataDir) === resolve('.verso') ? '' : ` --data-dir ${/^[\w./-]+$/.test(shown) ? shown : JSON.stringify(shown)}`;
  return (viaNpm ? 'npm run -s verso --' : 'verso') + dirArg;
}

function printBanner(ctx: CliContext, b: Banner, envKey: boolean): void {
  const { io } = ctx;
  const c = palette(useColor(io));
  printLine(io, `verso is serving ${c.bold(b.url)}`);
  printLine(io, `  editors' pages  ${b.ui}`);
  printLine(io, `  API reference   ${b.docs}   (OpenAPI: ${b.url}/openapi.json)`);
  printLine(io, `  data            ${b.dataDir}${b.database === 'postgresql' ? ' (index in PostgreSQL)' : ' (embedded PGlite)'}`);
  if (b.demo) printLine(io, `First start: created the demo site "${b.demo.site}" with ${b.demo.documents.join(', ')}.`);
  if (b.adminKey) {
    printLine(io, `Admin key (shown once, store it now): ${c.bold(b.adminKey)}`);
    printLine(io, `  sign in at ${b.ui} with it`);
  } else if (envKey) {
    printLine(io, 'Admin key: the one in VERSO_ADMIN_KEY.');
  }
  printLine(io, `CLI: in another terminal, ${cliCommand(io.env, b.dataDir)} site list   (it finds this server through ${join(b.dataDir, 'server.json')})`);
  printLine(io, c.dim('Press Ctrl+C to stop.'));
}
