/**
 * JSON three-way merge over the canonical tree. Objects merge key by key; arrays whose elements
 * all carry an identity (`id`, `_key` or `key`) merge element by element (keyedSequence.ts);
 * other arrays merge by position, and an index both sides changed differently is a conflict
 * (recursing into it could pair up different elements after an insertion shifted one side).
 * The same change on both sides is not a conflict. Conflicts are JSON Pointers (RFC 6901).
 */
import { mergeKeyedSequence, type KeyedItem } from './keyedSequence.js';
import { jsonEqual, type DriverConflict, type DriverInput, type DriverResult, type Resolver } from './types.js';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const IDENTITY_FIELDS = ['id', '_key', 'key'] as const;

/** One RFC 6901 reference token. */
export const pointerToken = (key: string | number): string => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

interface State {
  conflicts: DriverConflict[];
  resolve?: Resolver;
}

/** The resolver's value, else `unresolved` (default ours) with the conflict recorded. */
function conflict(st: State, path: string, base: unknown, ours: unknown, theirs: unknown, unresolved: unknown = ours): unknown {
  const c: DriverConflict = { path, base, ours, theirs };
  const settled = st.resolve?.(c);
  if (settled) return 'take' in settled ? c[settled.take] : settled.value;
  st.conflicts.push(c);
  return unresolved;
}

/** `undefined` is "absent" throughout: a missing key, an index past the end, a missing document. */
function mergeValue(st: State, path: string, b: unknown, o: unknown, t: unknown): unknown {
  if (jsonEqual(o, t)) return o;
  if (jsonEqual(b, o)) return t;
  if (jsonEqual(b, t)) return o;
  if (isObject(o) && isObject(t)) return mergeObject(st, path, isObject(b) ? b : {}, o, t);
  if (Array.isArray(o) && Array.isArray(t)) return mergeArray(st, path, Array.isArray(b) ? b : [], o, t);
  return conflict(st, path, b, o, t);
}

function mergeObject(st: State, path: string, b: Obj, o: Obj, t: Obj): Obj {
  const out: Obj = {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(o), ...Object.keys(t)])].sort();
  for (const k of keys) {
    const v = mergeValue(st, `${path}/${pointerToken(k)}`, b[k], o[k], t[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The identity field every element of all three arrays carries, unique within each; or undefined. */
function identityField(arrays: unknown[][]): string | undefined {
  if (arrays.every((a) => a.length === 0)) return undefined;
  return IDENTITY_FIELDS.find((f) =>
    arrays.every((a) => {
      const ids = a.map((e) => (isObject(e) && (typeof e[f] === 'string' || typeof e[f] === 'number') ? JSON.stringify(e[f]) : undefined));
      return ids.every((id) => id !== undefined) && new Set(ids).size === ids.length;
    }),
  );
}

function mergeArray(st: State, path: string, b: unknown[], o: unknown[], t: unknown[]): unknown {
  const field = identityField([b, o, t]);
  if (field === undefined) {
    const out: unknown[] = [];
    for (let i = 0; i < Math.max(b.length, o.length, t.length); i++) {
      const [bi, oi, ti] = [b[i], o[i], t[i]];
      let v: unknown;
      if (jsonEqual(oi, ti)) v = oi;
      else if (jsonEqual(bi, oi)) v = ti;
      else if (jsonEqual(bi, ti)) v = oi;
      else v = conflict(st, `${path}/${i}`, bi, oi, ti);
      if (v !== undefined) out.push(v);
    }
    return out;
  }
  const keyed = (a: unknown[]): KeyedItem<unknown>[] => a.map((e) => ({ id: JSON.stringify((e as Obj)[field]), value: e }));
  const [kb, ko, kt] = [keyed(b), keyed(o), keyed(t)];
  // An element is named by its index on our side (the target), else on theirs, else in the base.
  const indexOf = (id: string): number => {
    for (const seq of [ko, kt, kb]) {
      const i = seq.findIndex((e) => e.id === id);
      if (i >= 0) return i;
    }
    return -1;
  };
  const { items, orderConflict } = mergeKeyedSequence({
    base: kb,
    ours: ko,
    theirs: kt,
    mergeItem: (id, bi, oi, ti) => mergeValue(st, `${path}/${indexOf(id)}`, bi, oi, ti),
  });
  const merged = items.map((i) => i.value);
  // Both sides reordered: the whole array is the conflict; unresolved, it keeps our order.
  return orderConflict ? conflict(st, path, b, o, t, merged) : merged;
}

/** Three-way merge of two JSON documents. */
export function mergeJson({ base, ours, theirs, resolve }: DriverInput<unknown>): DriverResult<unknown> {
  const st: State = { conflicts: [], resolve };
  const value = mergeValue(st, '', base, ours, theirs);
  return { value, conflicts: st.conflicts };
}
