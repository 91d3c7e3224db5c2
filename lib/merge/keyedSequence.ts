/**
 * Three-way merge of a sequence whose items carry an identity: JSON array elements with an
 * id/_key/key field, markdown sections named by their heading. Items are matched by identity,
 * never by position, so an edit to one item and an insertion elsewhere never collide.
 *
 * Order: if only one side reordered the items both keep, its order wins; if both reordered them
 * differently, that is an order conflict (the caller names it). New items go after the item
 * that precedes them on their side. Insertions from both sides at the same place are ordered by
 * identity, so merge(b, x, y) and merge(b, y, x) give the same sequence.
 */

export interface KeyedItem<V> {
  id: string;
  value: V;
}

export interface SequenceMergeArgs<V> {
  base: KeyedItem<V>[];
  ours: KeyedItem<V>[];
  theirs: KeyedItem<V>[];
  /** The merged item (undefined: absent from the result) from its three versions. */
  mergeItem: (id: string, base: V | undefined, ours: V | undefined, theirs: V | undefined) => V | undefined;
}

export interface SequenceMergeResult<V> {
  items: KeyedItem<V>[];
  /** Both sides reordered the items they share, differently. The result keeps `ours`' order. */
  orderConflict: boolean;
}

const sameOrder = (a: string[], b: string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

export function mergeKeyedSequence<V>({ base, ours, theirs, mergeItem }: SequenceMergeArgs<V>): SequenceMergeResult<V> {
  const maps = [base, ours, theirs].map((seq) => new Map(seq.map((i) => [i.id, i.value])));
  const [b, o, t] = maps as [Map<string, V>, Map<string, V>, Map<string, V>];
  const ids = [...new Set([...ours, ...theirs, ...base].map((i) => i.id))];
  const merged = new Map<string, V>();
  for (const id of ids) {
    const v = mergeItem(id, b.get(id), o.get(id), t.get(id));
    if (v !== undefined) merged.set(id, v);
  }

  // The skeleton: items every version has and the result keeps, in the order the sides agree on.
  const common = (seq: KeyedItem<V>[]) => seq.map((i) => i.id).filter((id) => merged.has(id) && b.has(id) && o.has(id) && t.has(id));
  const [bOrd, oOrd, tOrd] = [common(base), common(ours), common(theirs)];
  let skeleton = oOrd;
  let orderConflict = false;
  if (sameOrder(oOrd, bOrd)) skeleton = tOrd;
  else if (!sameOrder(tOrd, bOrd) && !sameOrder(oOrd, tOrd)) orderConflict = true;
  const inSkeleton = new Set(skeleton);

  // Every other kept item is inserted after its nearest preceding skeleton item on its side.
  const groups = new Map<string | null, string[][]>();
  for (const seq of [ours, theirs]) {
    const byAnchor = new Map<string | null, string[]>();
    let anchor: string | null = null;
    for (const { id } of seq) {
      if (inSkeleton.has(id)) anchor = id;
      else if (merged.has(id)) byAnchor.set(anchor, [...(byAnchor.get(anchor) ?? []), id]);
    }
    for (const [a, g] of byAnchor) groups.set(a, [...(groups.get(a) ?? []), g]);
  }
  // Items kept only from the base (a resolution restored them) go after their base predecessor.
  let baseAnchor: string | null = null;
  for (const { id } of base) {
    if (inSkeleton.has(id)) baseAnchor = id;
    else if (merged.has(id) && !o.has(id) && !t.has(id)) groups.set(baseAnchor, [...(groups.get(baseAnchor) ?? []), [id]]);
  }

  const order: string[] = [];
  const emit = (anchor: string | null) => {
    const gs = [...(groups.get(anchor) ?? [])].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : JSON.stringify(x) > JSON.stringify(y) ? 1 : 0));
    for (const g of gs) order.push(...g);
  };
  emit(null);
  for (const id of skeleton) {
    order.push(id);
    emit(id);
  }
  const seen = new Set<string>();
  const items: KeyedItem<V>[] = [];
  for (const id of order) {
    if (seen.has(id)) continue;
    seen.add(id);
    items.push({ id, value: merged.get(id)! });
  }
  return { items, orderConflict };
}
