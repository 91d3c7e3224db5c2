/**
 * What a hook needs to know about its site, written next to the repository by
 * `verso hooks install` and by the gateway: `<git dir>/verso-hooks.json`.
 * Git ignores unknown files in a git dir, and `git fsck` does too.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const HOOK_CONFIG_FILE = 'verso-hooks.json';

export interface HookConfig {
  /** The site the repository belongs to. */
  site: string;
  /** The verso data dir (server.json, the embedded database). */
  dataDir: string;
  /** The site's locales, for the pre-receive layout check. */
  locales: string[];
  /** Largest file in bytes. */
  maxBytes: number;
  /** When the index is in PostgreSQL and the hook must open it itself. */
  databaseUrl?: string;
}

export async function readHookConfig(gitDir: string): Promise<HookConfig | undefined> {
  try {
    const c = JSON.parse(await readFile(join(gitDir, HOOK_CONFIG_FILE), 'utf8')) as Partial<HookConfig>;
    if (typeof c.site !== 'string' || typeof c.dataDir !== 'string' || !Array.isArray(c.locales) || typeof c.maxBytes !== 'number') return undefined;
    return { site: c.site, dataDir: c.dataDir, locales: c.locales.map(String), maxBytes: c.maxBytes, ...(typeof c.databaseUrl === 'string' ? { databaseUrl: c.databaseUrl } : {}) };
  } catch {
    return undefined;
  }
}

/** Writes the config atomically, readable by its owner only (it may hold a database URL). */
export async function writeHookConfig(gitDir: string, config: HookConfig): Promise<void> {
  const path = join(gitDir, HOOK_CONFIG_FILE);
  const text = JSON.stringify(config, null, 2) + '\n';
  if ((await readFile(path, 'utf8').catch(() => undefined)) === text) return;
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}
