/**
 * Runs the gateway on a port with graceful shutdown: `close()` stops accepting connections,
 * lets in-flight requests (a save in particular) finish, closes idle keep-alive connections,
 * and resolves when the server is down. It does not close the store: the caller owns it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { EmbeddedStore } from '../lib/types.js';
import { trackStore } from './inflight.js';
import { createApp, type CreateAppArgs } from './createApp.js';
import { defaultLogger } from './logging.js';
import { announceServer, CLI_KEY_NAME, provisionCliKey } from '../lib/ops/localServer.js';

export interface StartServerArgs extends Omit<CreateAppArgs, 'store' | 'logger'> {
  store: EmbeddedStore;
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  logger?: Logger;
  /** After this long in close(), connections still open are cut. Default 30 s. */
  shutdownTimeoutMs?: number;
  /** Run the webhook dispatcher in this process (default true). */
  webhooks?: boolean;
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * @example
 * const { url, close } = await startServer({ store, port: 4000 });
 * process.on('SIGTERM', () => close().then(() => store.close()));
 */
export async function startServer(args: StartServerArgs): Promise<RunningServer> {
  const { store, port, host = '127.0.0.1', shutdownTimeoutMs = 30_000, webhooks = true, ...appArgs } = args;
  const logger = args.logger ?? defaultLogger();
  // Shutdown waits for store operations as well as connections (see inflight.ts).
  const tracked = trackStore(store);
  const server = createServer();
  // Ends long-lived answers (event streams) when shutdown starts.
  const shutdown = new AbortController();
  let closing = false;

  // While shutting down, tell keep-alive clients not to reuse the connection.
  server.on('request', (_req, res) => {
    if (closing) res.setHeader('Connection', 'close');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The app is made once the port is ours: making it starts work in the data dir (the hook
  // token, hooks installed in every site repository) that a refused start must not leave behind.
  // No request can arrive before this line runs: listening resolved without a turn of I/O.
  const app = createApp({ ...appArgs, store: tracked.store, logger });
  app.locals.shutdown = shutdown.signal;
  server.on('request', app);
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  logger.info({ url }, 'verso gateway listening');
  // Hooks and CLI commands find this server through <dataDir>/server.json, and the CLI signs in
  // with <dataDir>/cli-key (see lib/ops/localServer.ts).
  await provisionCliKey({
    dataDir: store.dataDir,
    register: (key) => store.ensureAdminKey(key, { name: CLI_KEY_NAME }),
    isActive: async (key) => (await store.authenticate(key)) !== undefined,
  });
  const withdraw = await announceServer({ dataDir: store.dataDir, url });
  // Deliveries left pending by an earlier process go out now; the outbox is in the database.
  const dispatcher = webhooks ? store.startWebhookDispatcher() : undefined;

  let closed: Promise<void> | undefined;
  function close(): Promise<void> {
    closed ??= new Promise<void>((resolve, reject) => {
      closing = true;
      shutdown.abort();
      logger.info('verso gateway shutting down');
      const sweep = setInterval(() => server.closeIdleConnections(), 250);
      const force = setTimeout(() => server.closeAllConnections(), shutdownTimeoutMs);
      force.unref();
      server.close((err) => {
        clearInterval(sweep);
        // A handler whose client hung up may still be saving: let it finish (within the limit).
        const drained = Promise.race([tracked.idle(), new Promise<void>((r) => setTimeout(r, shutdownTimeoutMs).unref())]);
        void drained.then(() => {
          clearTimeout(force);
          if (tracked.count() > 0) logger.warn({ running: tracked.count() }, 'verso gateway stopped with store operations still running');
          const background = Promise.all(((app.locals.stopBackground ?? []) as Array<() => Promise<void>>).map((stop) => stop()));
          return Promise.all([dispatcher?.stop(), background]).then(withdraw).then(() => (err ? reject(err) : resolve()), reject);
        });
      });
      server.closeIdleConnections();
    });
    return closed;
  }
  return { url, server, close };
}
