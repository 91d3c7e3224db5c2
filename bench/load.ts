/**
 * HTTP load with autocannon for the gateway scenario: a fixed number of keep-alive connections
 * against one server for a fixed time, the client in a worker thread so that it does not share
 * the event loop of the servers it measures (on 2 cores the client then has a core of its own).
 * Any answer that is not 2xx, and any connection error or timeout, fails the run: a benchmark of
 * 401s or 429s would measure the wrong thing.
 */
import autocannon from 'autocannon';

export interface LoadTarget {
  /** Server origin, e.g. http://127.0.0.1:40123. */
  url: string;
  /** Paths to request; each connection walks through them in order, round and round. */
  paths: string[];
  headers?: Record<string, string>;
}

export interface LoadResult {
  /** 2xx answers per second over the run. */
  rps: number;
  /** Latency percentiles in ms (autocannon's HDR histogram). */
  p50: number;
  p99: number;
  requests: number;
  seconds: number;
  /** Mean bytes read per response, status line and headers included. */
  bytesPerResponse: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
}

/** Runs autocannon against `t` and returns 2xx throughput and latency; throws on any failure. */
export async function load(t: LoadTarget, o: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({
    url: t.url,
    connections: o.connections,
    duration: o.seconds,
    workers: 1,
    headers: t.headers ?? {},
    requests: t.paths.map((path) => ({ method: 'GET' as const, path })),
  });
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0 || r['2xx'] === 0) {
    throw new Error(
      `load on ${t.url}${t.paths[0]}: ${r['2xx']} 2xx, ${r['4xx']} 4xx, ${r['5xx']} 5xx, ${r.errors} errors, ${r.timeouts} timeouts in ${r.duration} s`,
    );
  }
  return {
    rps: r['2xx'] / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r['2xx'],
    seconds: r.duration,
    bytesPerResponse: r.throughput.total / r.requests.total,
  };
}

/**
 * Runs A, B, B, A for half the time each and sums them, so a load that drifts during the run
 * (the machine is shared) weighs on both sides alike. p50 is the mean and p99 the worse of each
 * side's two halves (autocannon keeps no raw samples to merge).
 */
export async function abba(a: LoadTarget, b: LoadTarget, o: LoadOptions): Promise<[LoadResult, LoadResult]> {
  const half = { ...o, seconds: Math.max(1, Math.round(o.seconds / 2)) };
  const a1 = await load(a, half);
  const b1 = await load(b, half);
  const b2 = await load(b, half);
  const a2 = await load(a, half);
  return [combine(a1, a2), combine(b1, b2)];
}

function combine(x: LoadResult, y: LoadResult): LoadResult {
  const requests = x.requests + y.requests;
  const seconds = x.seconds + y.seconds;
  return {
    rps: requests / seconds,
    p50: (x.p50 + y.p50) / 2,
    p99: Math.max(x.p99, y.p99),
    requests,
    seconds,
    bytesPerResponse: (x.bytesPerResponse * x.requests + y.bytesPerResponse * y.requests) / requests,
  };
}
