/**
 * Where lower-layer errors enter the SDK: every method of the embedded store, and of the site
 * and document handles it returns, passes its failures through translateDbError, so a
 * PostgreSQL constraint violation, an unreachable database or a full disk reaches the caller
 * (and the gateway) as ConflictError, ValidationError or UnavailableError instead of a bare
 * internal error. Errors it does not know pass through unchanged.
 */
import { translateDbError } from '../../db/pgErrors.js';

const guarded = new WeakSet<object>();

function translate(err: unknown): never {
  throw translateDbError(err) ?? err;
}

function isHandle(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Promise) && Object.values(value).some((v) => typeof v === 'function');
}

/** Returns `target` with each function wrapped; handles it returns are guarded too. */
export function guardErrors<T extends object>(target: T): T {
  if (guarded.has(target)) return target;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') {
      out[name] = value;
      continue;
    }
    const fn = value as (...args: unknown[]) => unknown;
    out[name] = (...args: unknown[]): unknown => {
      let result: unknown;
      try {
        result = fn.apply(target, args);
      } catch (err) {
        translate(err);
      }
      if (result instanceof Promise) return result.catch(translate);
      return isHandle(result) ? guardErrors(result) : result;
    };
  }
  guarded.add(out);
  return out as T;
}
