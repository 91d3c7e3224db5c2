/**
 * A hybrid logical clock (physical ms << 16 | logical counter) and a monotonic ULID source.
 * Both are per store, injected into operations, so tests and two stores in one process never
 * share state.
 */
import { monotonicFactory } from 'ulid';

export interface Clock {
  /** Wall-clock milliseconds. */
  now(): number;
  /** Next HLC value, strictly increasing within this clock. */
  tick(): number;
  /** Folds in a value seen from another node, keeping this clock ahead of it. */
  observe(remote: number): void;
}

const LOGICAL_BITS = 16;
const LOGICAL_MASK = (1 << LOGICAL_BITS) - 1;

export function createClock(wall: () => number = Date.now): Clock {
  let last = 0;
  return {
    now: wall,
    tick() {
      const physical = wall() * 2 ** LOGICAL_BITS;
      last = physical > last ? physical : last + 1;
      return last;
    },
    observe(remote: number) {
      if (remote > last) last = remote;
    },
  };
}

export function hlcToString(hlc: number): string {
  const ms = Math.floor(hlc / 2 ** LOGICAL_BITS);
  return `${new Date(ms).toISOString()}#${hlc % 2 ** LOGICAL_BITS & LOGICAL_MASK}`;
}

export type IdSource = () => string;

export function createIdSource(): IdSource {
  const next = monotonicFactory();
  return () => next();
}
