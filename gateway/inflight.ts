/**
 * Counts the store operations the gateway has started and not yet finished, so shutdown can
 * wait for them. Waiting for connections alone is not enough: a client that hangs up in the
 * middle of a save closes its connection while the handler is still writing, and closing the
 * store under it would turn that save into an orphan commit for the next start-up to index.
 *
 * The store is wrapped, not the routes, so every caller is covered (API, editors' pages, git
 * pushes): each method call that returns a promise is counted until it settles, and handles
 * (`site()`, `doc()`) are wrapped the same way.
 */
import type { EmbeddedStore } from '../lib/types.js';

export interface TrackedStore {
  store: EmbeddedStore;
  /** Operations under way. */
  count(): number;
  /** Resolves once no operation is under way. */
  idle(): Promise<void>;
}

export function trackStore(store: EmbeddedStore): TrackedStore {
  let running = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    running--;
    if (running === 0) {
      for (const w of waiters) w();
      waiters = [];
    }
  };
  const wrapped = new WeakMap<object, object>();
  const wrap = <T extends object>(target: T): T => {
    const known = wrapped.get(target);
    if (known) return known as T;
    const proxy = new Proxy(target, {
      get(obj, prop) {
        const value: unknown = Reflect.get(obj, prop, obj);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(obj, args);
          if (result instanceof Promise) {
            running++;
            return result.finally(settle);
          }
          // Handles are plain objects; arrays, buffers and class instances are answers, not handles.
          return result !== null && typeof result === 'object' && Object.getPrototypeOf(result) === Object.prototype ? wrap(result) : result;
        };
      },
    });
    wrapped.set(target, proxy);
    return proxy;
  };
  return {
    store: wrap(store),
    count: () => running,
    idle: () => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  };
}
