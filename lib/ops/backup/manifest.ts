/**
 * The backup directory's `manifest.json`: what the directory holds, so that `verify` and
 * `restore` need nothing but the directory. Written last: a directory without it is not a
 * finished backup.
 *
 * Layout (relative to the backup directory):
 *   manifest.json
 *   db/<table>.jsonl        one row per line, PostgreSQL's own row_to_json text
 *   repos/<site>.bundle     `git bundle create --all` of the site's repository
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute } from 'node:path';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'verso-backup';
export const MANIFEST_VERSION = 1;

export interface ManifestFile {
  /** Relative to the backup directory, `/`-separated. */
  path: string;
  size: number;
  sha256: string;
}

export interface ManifestTable {
  name: string;
  file: string;
  rows: number;
  /** The columns each line carries; a restore sets exactly these. */
  columns: string[];
}

export interface ManifestRef {
  ref: string;
  oid: string;
}

export interface ManifestSite {
  /** The public site id (slug), also the repository's name. */
  id: string;
  /** The sites row's key. */
  rowId: string;
  /** The `backups` row of this bundle; null when the repository had no refs (nothing to bundle). */
  backupId: string | null;
  bundle: string | null;
  /** What HEAD names (`refs/heads/main`). */
  head: string | null;
  /** Every ref in the bundle, HEAD aside. */
  refs: ManifestRef[];
}

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  formatVersion: typeof MANIFEST_VERSION;
  backupSetId: string;
  createdAt: string;
  finishedAt: string;
  nodeId: string;
  /** The run's hybrid logical clock value, as a decimal string (it exceeds 2^53). */
  hlc: string;
  /** A site id when only that site was backed up. */
  site: string | null;
  database: {
    backupId: string;
    dialect: 'pg' | 'pglite';
    serverVersion: string;
    /** Applied migrations, oldest first: the schema the rows fit. */
    migrations: string[];
    /** In insertion order: every table after the tables it references. */
    tables: ManifestTable[];
  };
  sites: ManifestSite[];
  /** Every file but manifest.json itself. */
  files: ManifestFile[];
}

/** SHA-256 and size of a file, streamed. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * The checksum the catalogue keeps for the database artefact (many files): the SHA-256 of the
 * `sha256sum`-style listing of its files, `<sha256>  <path>\n` in manifest order.
 */
export function databaseDigest(files: ManifestFile[]): { sha256: string; size: number } {
  const listing = files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
  return { sha256: createHash('sha256').update(listing).digest('hex'), size: files.reduce((n, f) => n + f.size, 0) };
}

/** Writes a small file and fsyncs it. */
export async function writeDurable(path: string, text: string): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

const SAFE_PATH = /^(db|repos)\/[A-Za-z0-9_.-]+$/;
const HEX64 = /^[0-9a-f]{64}$/;
const HEX40 = /^[0-9a-f]{40}$/;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const IDENT = /^[a-z_][a-z0-9_]*$/;

/** A path from a manifest may only name a file inside the backup directory's two folders. */
export function isSafeBackupPath(path: string): boolean {
  return SAFE_PATH.test(path) && !isAbsolute(path) && !path.split('/').some((p) => p === '.' || p === '..');
}

/**
 * Parses and checks manifest.json. Everything a verify or restore later trusts (paths, names,
 * ids) is checked here, so a hand-edited manifest cannot point outside the directory.
 * @throws Error with a message naming what is wrong.
 */
export function parseManifest(text: string): BackupManifest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (err) {
    throw new Error(`is not JSON: ${(err as Error).message}`);
  }
  const fail = (what: string): never => {
    throw new Error(what);
  };
  const obj = (v: unknown, what: string): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(`${what} is not an object`));
  const arr = (v: unknown, what: string): unknown[] => (Array.isArray(v) ? v : fail(`${what} is not a list`));
  const str = (v: unknown, what: string, re?: RegExp): string => (typeof v === 'string' && (!re || re.test(v)) ? v : fail(`${what} is missing or malformed`));
  const int = (v: unknown, what: string): number => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : fail(`${what} is not a count`));

  const root = obj(m, 'the manifest');
  if (root.format !== MANIFEST_FORMAT) fail(`format is ${JSON.stringify(root.format)}, not ${MANIFEST_FORMAT}`);
  if (root.formatVersion !== MANIFEST_VERSION) fail(`formatVersion ${JSON.stringify(root.formatVersion)} is not supported (this verso reads ${MANIFEST_VERSION})`);
  const db = obj(root.database, 'database');
  const dialect = str(db.dialect, 'database.dialect', /^(pg|pglite)$/) as 'pg' | 'pglite';
  const manifest: BackupManifest = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    backupSetId: str(root.backupSetId, 'backupSetId', ULID),
    createdAt: str(root.createdAt, 'createdAt'),
    finishedAt: str(root.finishedAt, 'finishedAt'),
    nodeId: str(root.nodeId, 'nodeId', ULID),
    hlc: str(root.hlc, 'hlc', /^[0-9]{1,20}$/),
    site: root.site === null ? null : str(root.site, 'site', SLUG),
    database: {
      backupId: str(db.backupId, 'database.backupId', ULID),
      dialect,
      serverVersion: str(db.serverVersion, 'database.serverVersion'),
      migrations: arr(db.migrations, 'database.migrations').map((n, i) => str(n, `database.migrations[${i}]`)),
      tables: arr(db.tables, 'database.tables').map((t, i) => {
        const o = obj(t, `database.tables[${i}]`);
        return {
          name: str(o.name, `database.tables[${i}].name`, IDENT),
          file: str(o.file, `database.tables[${i}].file`),
          rows: int(o.rows, `database.tables[${i}].rows`),
          columns: arr(o.columns, `database.tables[${i}].columns`).map((c, j) => str(c, `database.tables[${i}].columns[${j}]`, IDENT)),
        };
      }),
    },
    sites: arr(root.sites, 'sites').map((s, i) => {
      const o = obj(s, `sites[${i}]`);
      return {
        id: str(o.id, `sites[${i}].id`, SLUG),
        rowId: str(o.rowId, `sites[${i}].rowId`, ULID),
        backupId: o.backupId === null ? null : str(o.backupId, `sites[${i}].backupId`, ULID),
        bundle: o.bundle === null ? null : str(o.bundle, `sites[${i}].bundle`),
        head: o.head === null ? null : str(o.head, `sites[${i}].head`, /^refs\/heads\/[A-Za-z0-9._/-]+$/),
        refs: arr(o.refs, `sites[${i}].refs`).map((r, j) => {
          const ro = obj(r, `sites[${i}].refs[${j}]`);
          return { ref: str(ro.ref, `sites[${i}].refs[${j}].ref`, /^refs\/[^\s]+$/), oid: str(ro.oid, `sites[${i}].refs[${j}].oid`, HEX40) };
        }),
      };
    }),
    files: arr(root.files, 'files').map((f, i) => {
      const o = obj(f, `files[${i}]`);
      return { path: str(o.path, `files[${i}].path`), size: int(o.size, `files[${i}].size`), sha256: str(o.sha256, `files[${i}].sha256`, HEX64) };
    }),
  };
  const listed = new Set<string>();
  for (const f of manifest.files) {
    if (!isSafeBackupPath(f.path)) fail(`files lists ${JSON.stringify(f.path)}, which is not a file of db/ or repos/`);
    if (listed.has(f.path)) fail(`files lists ${f.path} twice`);
    listed.add(f.path);
  }
  for (const t of manifest.database.tables) if (!listed.has(t.file)) fail(`table ${t.name}'s file ${t.file} is not in files`);
  for (const s of manifest.sites) if (s.bundle !== null && !listed.has(s.bundle)) fail(`site ${s.id}'s bundle ${s.bundle} is not in files`);
  return manifest;
}
