/**
 * What every merge driver (JSON, markdown, text) shares: the three inputs, the conflicts it
 * names, and the resolver that may settle each conflict as it is found. Drivers are pure: no
 * I/O, no clock, so their properties can be tested with generated inputs.
 */

/** A place both sides changed differently. `path` names it in the document's own terms. */
export interface DriverConflict {
  /** JSON Pointer ('/hero/title'), '#<heading>' (markdown section), 'lines a-b' (text), '' (whole document). */
  path: string;
  base?: unknown;
  ours?: unknown;
  theirs?: unknown;
}

/**
 * Settles one conflict: `{ take }` keeps one version of the place exactly; `{ value }` is what the
 * merged document holds there (`value: undefined` = the place is absent, e.g. a removed key);
 * undefined leaves the conflict unresolved.
 */
export type Settlement = { take: 'ours' | 'theirs' | 'base' } | { value: unknown };
export type Resolver = (conflict: DriverConflict) => Settlement | undefined;

export interface DriverInput<T> {
  /** undefined: the document did not exist at the merge base (added on both sides). */
  base: T | undefined;
  ours: T;
  theirs: T;
  resolve?: Resolver;
}

export interface DriverResult<T> {
  /** The merged document; where a conflict stayed unresolved it holds `ours`. */
  value: T;
  /** Conflicts the resolver did not settle, in document order. */
  conflicts: DriverConflict[];
}

/** Structural equality of JSON values (key order ignored, as canonical JSON ignores it). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(ao[k], bo[k]));
}
