/**
 * A real HTTP webhook receiver for tests: records every request (headers and raw body) and
 * answers from a script of statuses (then 200), optionally after a delay.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Statuses to answer next, in order; 200 once they run out. */
  script: number[];
  /** Milliseconds to wait before answering the next requests (one entry per request). */
  delays: number[];
  /** Resolves once `predicate` holds (checked on every request and every 20 ms). */
  until(predicate: (r: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(opts: { port?: number } = {}): Promise<Receiver> {
  const received: Received[] = [];
  const receiver: Partial<Receiver> = { received, script: [], delays: [] };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const status = receiver.script!.shift() ?? 200;
      const delay = receiver.delays!.shift() ?? 0;
      setTimeout(() => {
        if (res.destroyed) return;
        received.push({ headers: req.headers, body, status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? `failure ${status} `.repeat(300) : 'ok');
      }, delay);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    async until(predicate: (r: Received[]) => boolean, timeoutMs = 20_000) {
      const started = Date.now();
      while (!predicate(received)) {
        if (Date.now() - started > timeoutMs) throw new Error(`receiver: condition not met within ${timeoutMs} ms (${received.length} requests)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
  return receiver as Receiver;
}

/** A port nothing listens on now (a receiver that is down), to be listened on later. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
