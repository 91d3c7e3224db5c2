/**
 * The index half of a backup: every table, one JSON line per row, all read in ONE
 * repeatable-read, read-only transaction, so the files are one snapshot of the database (on
 * PGlite the single connection gives that anyway; on PostgreSQL concurrent saves carry on).
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { appliedMigrationNames, countRows, describeTables, dumpRows, serverVersion } from '../../db/queries/backups.js';
import { listSiteRows } from '../../db/queries/sites.js';
import type { OpContext } from '../context.js';
import type { ManifestFile, ManifestTable } from './manifest.js';
import { insertionOrder, scopeTables } from './tables.js';

export interface DumpResult {
  tables: ManifestTable[];
  files: ManifestFile[];
  rows: number;
  /** The sites in the snapshot (only the one for a site backup): the repositories to bundle. */
  sites: Array<{ rowId: string; slug: string }>;
  migrations: string[];
  serverVersion: string;
}

export async function dumpDatabase(a: {
  ctx: OpContext;
  /** The backup directory; files go to `<dir>/db/`. */
  dir: string;
  siteRowId?: string;
  onProgress?: (item: string, done: number, total: number) => void;
}): Promise<DumpResult> {
  return a.ctx.knex.transaction(
    async (trx) => {
      const migrations = await appliedMigrationNames(trx);
      const version = await serverVersion(trx);
      const scoped = scopeTables(insertionOrder(await describeTables(trx)), a.siteRowId);
      const sites = (await listSiteRows(trx)).filter((s) => a.siteRowId === undefined || s.id === a.siteRowId).map((s) => ({ rowId: s.id, slug: s.slug }));
      const counts = new Map<string, number>();
      for (const s of scoped) counts.set(s.table.name, await countRows(trx, s.table.name, s.filter));
      const total = [...counts.values()].reduce((n, c) => n + c, 0);
      let done = 0;
      const tables: ManifestTable[] = [];
      const files: ManifestFile[] = [];
      for (const { table, filter } of scoped) {
        a.onProgress?.(table.name, done, total);
        const path = `db/${table.name}.jsonl`;
        const hash = createHash('sha256');
        let size = 0;
        let rows = 0;
        const fh = await open(join(a.dir, path), 'wx');
        try {
          await dumpRows(trx, { table: table.name, orderBy: table.primaryKey, ...(filter ? { filter } : {}) }, async (lines) => {
            const chunk = Buffer.from(lines.join('\n') + '\n', 'utf8');
            await fh.write(chunk);
            hash.update(chunk);
            size += chunk.length;
            rows += lines.length;
            done += lines.length;
            a.onProgress?.(table.name, done, Math.max(total, done));
          });
          await fh.sync();
        } finally {
          await fh.close();
        }
        tables.push({ name: table.name, file: path, rows, columns: table.columns });
        files.push({ path, size, sha256: hash.digest('hex') });
      }
      return { tables, files, rows: done, sites, migrations, serverVersion: version };
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}
