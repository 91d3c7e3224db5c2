/**
 * Shared statistics for the benchmarks: nearest-rank percentiles over raw samples (no
 * interpolation, so a p99 of 100 samples is the 99th slowest one, never an invented value).
 */

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of `samples`; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const n = samples.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const s of samples) {
    sum += s;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  return { n, mean: n ? sum / n : Number.NaN, p50: percentile(samples, 50), p99: percentile(samples, 99), min, max };
}

/** Milliseconds `fn` took. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * Runs the functions alternately in blocks, `n` timed samples each after `warmup` untimed calls
 * of each, and returns one sample set per function. Interleaving puts every side under the same
 * background load: on a shared 2-core machine that is fairer than running A, then B.
 */
export async function interleave(
  n: number,
  warmup: number,
  fns: ReadonlyArray<(i: number) => Promise<unknown>>,
  block = 10,
): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) for (const f of fns) await f(i);
  const out = fns.map(() => [] as number[]);
  let done = 0;
  while (done < n) {
    const m = Math.min(block, n - done);
    for (let j = 0; j < fns.length; j++) {
      for (let k = 0; k < m; k++) out[j]!.push(await timeMs(() => fns[j]!(warmup + done + k)));
    }
    done += m;
  }
  return out;
}

/**
 * Two functions, one call each per round, the order flipping every round (ABBA…): for a small
 * difference between two similar calls (a save with and without a webhook) on a noisy machine,
 * neighbouring samples see the same load, and neither side always runs first (right after the
 * other's writes). `n` timed samples each after `warmup` untimed rounds.
 */
export async function alternate(n: number, warmup: number, fns: readonly [(i: number) => Promise<unknown>, (i: number) => Promise<unknown>]): Promise<[number[], number[]]> {
  for (let i = 0; i < warmup; i++) for (const f of fns) await f(i);
  const out: [number[], number[]] = [[], []];
  for (let i = 0; i < n; i++) {
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const j of order) out[j]!.push(await timeMs(() => fns[j]!(warmup + i)));
  }
  return out;
}

/** Ratio verso / baseline, rounded for display; NaN when either is missing. */
export function ratio(verso: number, baseline: number): number {
  if (!Number.isFinite(verso) || !Number.isFinite(baseline) || baseline === 0) return Number.NaN;
  return verso / baseline;
}

export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
