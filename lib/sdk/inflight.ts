/**
 * Counts the store operations started and not yet finished, so closing can wait for them:
 * closing the database under a save turns it into an orphan commit for the next start-up to
 * index (or, for a caller, a failed save that did write). Every method call that returns a
 * promise is counted until it settles, and handles (`site()`, `doc()`: plain objects) are
 * wrapped the same way, so every caller is covered.
 */
export interface TrackedStore<S> {
  store: S;
  /** Operations under way. */
  count(): number;
  /** Resolves once no operation is under way. */
  idle(): Promise<void>;
}

export function trackStore<S extends object>(store: S, opts: { untracked?: string[] } = {}): TrackedStore<S> {
  const untracked = new Set(opts.untracked ?? []);
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
  const wrap = <T extends object>(target: T, top: boolean): T => {
    const known = wrapped.get(target);
    if (known) return known as T;
    const proxy = new Proxy(target, {
      get(obj, prop) {
        const value: unknown = Reflect.get(obj, prop, obj);
        if (typeof value !== 'function') return value;
        if (top && typeof prop === 'string' && untracked.has(prop)) return (value as (...a: unknown[]) => unknown).bind(obj);
        return (...args: unknown[]) => {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(obj, args);
          if (result instanceof Promise) {
            running++;
            return result.finally(settle);
          }
          // Handles are plain objects; arrays, buffers and class instances are answers, not handles.
          return result !== null && typeof result === 'object' && Object.getPrototypeOf(result) === Object.prototype ? wrap(result, false) : result;
        };
      },
    });
    wrapped.set(target, proxy);
    return proxy;
  };
  return {
    store: wrap(store, true),
    count: () => running,
    idle: () => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  };
}
