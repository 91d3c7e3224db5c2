/**
 * A hybrid logical clock (physical ms << 16 | logical counter, the seeds' encoding) and a
 * monotonic ULID source. HLC values are bigints: today's ms << 16 is about 1.2e17, past 2^53,
 * where a JS number cannot even count (its step there is 16), so `last + 1` would repeat a value.
 * Both are per store, injected into operations, so tests and two stores in one process never
 * share state.
 */
import { monotonicFactory } from 'ulid';

export interface Clock {
  /** Wall-clock milliseconds. */
  now(): number;
  /** Next HLC value, strictly increasing within this clock. */
  tick(): bigint;
  /** Folds in a value seen from another node, keeping this clock ahead of it. */
  observe(remote: bigint): void;
}

const LOGICAL_BITS = 16n;
const LOGICAL_MASK = (1n << LOGICAL_BITS) - 1n;

export function createClock(wall: () => number = Date.now): Clock {
  let last = 0n;
  return {
    now: wall,
    tick() {
      const physical = BigInt(Math.floor(wall())) << LOGICAL_BITS;
      // Past 65,535 ticks in one millisecond the counter carries into the physical part: still
      // strictly increasing, a little ahead of the wall clock, as HLCs allow.
      last = physical > last ? physical : last + 1n;
      return last;
    },
    observe(remote: bigint) {
      if (remote > last) last = remote;
    },
  };
}

/** `2026-11-22T06:59:19.371Z#3`: the physical time and the logical counter. */
export function hlcToString(hlc: bigint): string {
  return `${new Date(Number(hlc >> LOGICAL_BITS)).toISOString()}#${hlc & LOGICAL_MASK}`;
}

export type IdSource = () => string;

export function createIdSource(): IdSource {
  const next = monotonicFactory();
  return () => next();
}
