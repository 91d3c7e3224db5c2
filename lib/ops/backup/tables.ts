/**
 * Which tables a backup holds, in which order they are loaded back, and the order of rows in a
 * table that references itself (a comment's reply after its parent). Derived from the schema's
 * own foreign keys, so a table a later migration adds is covered without a change here.
 */
import type { RowFilter, TableInfo } from '../../db/queries/backups.js';
import { InternalError } from '../../errors/index.js';

/**
 * Tables ordered so that every table comes after those it references (a reference to itself
 * aside); ties in name order, so the order is stable.
 * @throws InternalError on a reference cycle between tables (the schema has none).
 */
export function insertionOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const placed = new Set<string>();
  const out: TableInfo[] = [];
  const remaining = [...tables].sort((a, b) => a.name.localeCompare(b.name));
  while (remaining.length) {
    const i = remaining.findIndex((t) => t.foreignKeys.every((fk) => fk.refTable === t.name || placed.has(fk.refTable) || !byName.has(fk.refTable)));
    if (i < 0) throw new InternalError(`the tables ${remaining.map((t) => t.name).join(', ')} reference each other in a cycle; a backup cannot order them`);
    const [t] = remaining.splice(i, 1);
    placed.add(t!.name);
    out.push(t!);
  }
  return out;
}

export interface ScopedTable {
  table: TableInfo;
  filter?: RowFilter;
}

/**
 * The tables of a backup and their row filter. Everything for a whole-store backup. For one
 * site: `sites` (that row) and every table with a `site_id` (that site's rows; keys scoped to
 * every site stay out), minus any table that references a table left out — the backup
 * catalogue is global, so it goes, and so do its site-scoped rows.
 */
export function scopeTables(tables: TableInfo[], siteRowId?: string): ScopedTable[] {
  if (siteRowId === undefined) return tables.map((table) => ({ table }));
  const kept = new Map<string, ScopedTable>();
  for (const t of tables) {
    if (t.name === 'sites') kept.set(t.name, { table: t, filter: { column: 'id', value: siteRowId } });
    else if (t.siteIdNullable !== undefined) kept.set(t.name, { table: t, filter: { column: 'site_id', value: siteRowId } });
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, s] of kept) {
      if (s.table.foreignKeys.some((fk) => fk.refTable !== name && !kept.has(fk.refTable))) {
        kept.delete(name);
        changed = true;
      }
    }
  }
  return tables.filter((t) => kept.has(t.name)).map((t) => kept.get(t.name)!);
}

/**
 * Orders the dumped lines of a table so that a row comes after the row it references in the
 * same table (a reply after its parent), whatever order the ids happen to be in. A row whose
 * parent is not in the table keeps its place; the foreign key will then say so.
 */
export function parentsFirst(table: TableInfo, lines: string[]): string[] {
  const selfRefs = table.foreignKeys.filter((fk) => fk.refTable === table.name);
  if (!selfRefs.length || lines.length < 2) return lines;
  const rows = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const keyOf = (row: Record<string, unknown>, columns: string[]) => JSON.stringify(columns.map((c) => row[c] ?? null));
  const indexByKey = new Map<string, number>();
  for (const fk of selfRefs) rows.forEach((row, i) => indexByKey.set(`${fk.name}:${keyOf(row, fk.refColumns)}`, i));
  const parentsOf = rows.map((row) =>
    selfRefs
      .filter((fk) => fk.columns.every((c) => row[c] !== null && row[c] !== undefined))
      .map((fk) => indexByKey.get(`${fk.name}:${keyOf(row, fk.columns)}`))
      .filter((i): i is number => i !== undefined),
  );
  const state = new Uint8Array(rows.length); // 0 new, 1 visiting, 2 placed
  const out: string[] = [];
  const visit = (start: number) => {
    // Iterative depth-first walk: a long reply chain must not overflow the stack.
    const stack: Array<[number, number]> = [[start, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [i, next] = top;
      if (next === 0) {
        if (state[i] === 2) {
          stack.pop();
          continue;
        }
        state[i] = 1;
      }
      const parents = parentsOf[i]!;
      if (next < parents.length) {
        top[1]++;
        const p = parents[next]!;
        if (state[p] === 0) stack.push([p, 0]);
        continue;
      }
      state[i] = 2;
      out.push(lines[i]!);
      stack.pop();
    }
  };
  for (let i = 0; i < rows.length; i++) if (state[i] === 0) visit(i);
  return out;
}
