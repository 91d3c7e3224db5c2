/**
 * Field-by-field comparison of two JSON values: the changed leaves with their paths
 * (`seo.title`, `blocks[id=hero].text`), so an editor sees which fields moved, not which lines.
 *
 * Order: what names a document comes first (`title`, then `name`), then the other keys in the
 * order verso stores them: canonical JSON sorts keys, so the stored document's order is
 * alphabetical, and an in-memory value is compared the same way.
 * Arrays of objects that all carry a distinct `id` (or else `key`) on both sides are matched by
 * it, so moving or inserting a block shows as that, not as every later block changing.
 */
import type { FieldChange } from '../types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys that name a document, shown before every other field. */
const LEADING_KEYS = ['title', 'name'];
/** Fields that identify an array item, tried in this order. */
const IDENTITY_FIELDS = ['id', 'key'];

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/** The keys of both objects: leading keys first, then the rest in stored (sorted) order. */
export function orderedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const all = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const leading = LEADING_KEYS.filter((k) => all.includes(k));
  return [...leading, ...all.filter((k) => !leading.includes(k))];
}

type Identity = string | number;

function identitiesOf(items: unknown[], field: string): Identity[] | undefined {
  const ids: Identity[] = [];
  for (const item of items) {
    const id = isObject(item) ? item[field] : undefined;
    if (typeof id !== 'string' && typeof id !== 'number') return undefined;
    ids.push(id);
  }
  return new Set(ids).size === ids.length ? ids : undefined;
}

/** The field that identifies the items of both arrays, if every item has a distinct one. */
export function identityField(before: unknown[], after: unknown[]): string | undefined {
  if (before.length === 0 && after.length === 0) return undefined;
  return IDENTITY_FIELDS.find((f) => identitiesOf(before, f) && identitiesOf(after, f));
}

function identitySegment(path: string, field: string, id: Identity): string {
  return `${path}[${field}=${typeof id === 'number' || /^[\w-]+$/.test(id) ? id : JSON.stringify(id)}]`;
}

/** One step of the walk: a pair of children under the same path (either may be missing). */
export interface AlignedChild {
  path: string;
  before: unknown;
  after: unknown;
  inBefore: boolean;
  inAfter: boolean;
}

/**
 * The children of two containers paired as this module compares them: objects by key in field
 * order, identified arrays by identity (in `after`'s order, removed items where they stood),
 * other arrays by position. Undefined when the two are not containers of one kind.
 */
export function alignChildren(before: unknown, after: unknown, path: string): AlignedChild[] | undefined {
  if (isObject(before) && isObject(after)) {
    return orderedKeys(before, after).map((k) => ({ path: join(path, k), before: before[k], after: after[k], inBefore: k in before, inAfter: k in after }));
  }
  if (!Array.isArray(before) || !Array.isArray(after)) return undefined;
  const field = identityField(before, after);
  if (!field) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => ({ path: join(path, i), before: before[i], after: after[i], inBefore: i < before.length, inAfter: i < after.length }));
  }
  const idOf = (item: unknown) => (item as Record<string, Identity>)[field]!;
  const oldById = new Map(before.map((item) => [idOf(item), item]));
  const newIds = new Set(after.map(idOf));
  const out: AlignedChild[] = [];
  // Items removed before the first kept one come first; others follow the kept item they followed.
  const removedAfter = new Map<Identity | undefined, unknown[]>();
  let lastKept: Identity | undefined;
  for (const item of before) {
    const id = idOf(item);
    if (newIds.has(id)) lastKept = id;
    else removedAfter.set(lastKept, [...(removedAfter.get(lastKept) ?? []), item]);
  }
  const pushRemoved = (anchor: Identity | undefined) => {
    for (const item of removedAfter.get(anchor) ?? []) out.push({ path: identitySegment(path, field, idOf(item)), before: item, after: undefined, inBefore: true, inAfter: false });
  };
  pushRemoved(undefined);
  for (const item of after) {
    const id = idOf(item);
    const old = oldById.get(id);
    out.push({ path: identitySegment(path, field, id), before: old, after: item, inBefore: oldById.has(id), inAfter: true });
    if (oldById.has(id)) pushRemoved(id);
  }
  return out;
}

export function fieldDiff(before: unknown, after: unknown, path = '', out: FieldChange[] = []): FieldChange[] {
  const children = alignChildren(before, after, path);
  if (children) {
    for (const c of children) {
      if (!c.inAfter) out.push({ path: c.path, op: 'remove', before: c.before });
      else if (!c.inBefore) out.push({ path: c.path, op: 'add', after: c.after });
      else fieldDiff(c.before, c.after, c.path, out);
    }
    return out;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path: path || '$', op: 'change', before, after });
  return out;
}

/** A leaf of the two values side by side: empty objects and arrays are leaves. */
export type AlignedLeaf = AlignedChild;

const isLeaf = (v: unknown) => !(isObject(v) && Object.keys(v).length > 0) && !(Array.isArray(v) && v.length > 0);

/**
 * Every leaf of both values, unchanged ones included, in the order fieldDiff reports them, with
 * one path for both sides: what a side-by-side view of two JSON versions shows row by row.
 */
export function alignedLeaves(before: unknown, after: unknown, a: { path?: string; inBefore?: boolean; inAfter?: boolean } = {}, out: AlignedLeaf[] = []): AlignedLeaf[] {
  const path = a.path ?? '';
  const inBefore = a.inBefore ?? true;
  const inAfter = a.inAfter ?? true;
  const children = inBefore && inAfter ? alignChildren(before, after, path) : undefined;
  if (children && children.length) {
    for (const c of children) alignedLeaves(c.before, c.after, { path: c.path, inBefore: c.inBefore, inAfter: c.inAfter }, out);
    return out;
  }
  // One side only, or not containers of one kind: each side's own leaves under this path.
  const sideLeaves = (value: unknown, side: 'before' | 'after'): AlignedLeaf[] => {
    if (isLeaf(value)) return [{ path, before: side === 'before' ? value : undefined, after: side === 'after' ? value : undefined, inBefore: side === 'before', inAfter: side === 'after' }];
    const empty = Array.isArray(value) ? [] : {};
    return alignedLeaves(side === 'before' ? value : empty, side === 'after' ? value : empty, { path }, []).map((l) =>
      side === 'before' ? { ...l, after: undefined, inAfter: false } : { ...l, before: undefined, inBefore: false },
    );
  };
  if (inBefore && inAfter && isLeaf(before) && isLeaf(after)) {
    out.push({ path, before, after, inBefore: true, inAfter: true });
    return out;
  }
  if (inBefore) out.push(...sideLeaves(before, 'before'));
  if (inAfter) out.push(...sideLeaves(after, 'after'));
  return out;
}
