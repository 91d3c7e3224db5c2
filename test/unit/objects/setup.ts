/** Shared fixtures for the object-store tests: temp repositories and identities. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSiteRepo, type GitIdentity, type SiteRepo } from '../../../lib/objects/index.js';

export const ada: GitIdentity = { name: 'Ada Lovelace', email: 'ada@example.com', timestamp: 1700000000, timezoneOffset: -120 };

export function at(seconds: number, who: GitIdentity = ada): GitIdentity {
  return { ...who, timestamp: who.timestamp + seconds };
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}

export function tempDir(prefix = 'verso-objects-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A fresh initialised repository in a temp dir; call remove() in after/afterEach. */
export async function tempRepo(opts: { lockTimeoutMs?: number; fsyncEnabled?: boolean } = {}): Promise<{ repo: SiteRepo; dir: string; remove: () => void }> {
  const tmp = tempDir();
  const dir = join(tmp.path, 'site.git');
  const repo = openSiteRepo({ dir, ...opts });
  await repo.init();
  return { repo, dir, remove: tmp.remove };
}
