/**
 * Writes what a crashed writer or an older build leaves behind, with git plumbing only
 * (hash-object, mktree via update-index, commit-tree, update-ref): a commit on top of a branch
 * that puts `content` at `path` with exactly the message given, trailers and all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from './git.js';

export function plumbCommit(repoDir: string, a: { branch?: string; path: string; content: string; message: string; author?: string }): string {
  const ref = `refs/heads/${a.branch ?? 'main'}`;
  const head = git(repoDir, ['rev-parse', '--verify', '--quiet', ref]).trim();
  const blob = git(repoDir, ['hash-object', '-w', '--stdin'], { input: a.content }).trim();
  const scratch = mkdtempSync(join(tmpdir(), 'verso-plumbing-'));
  const env = { GIT_DIR: repoDir, GIT_INDEX_FILE: join(scratch, 'index'), GIT_AUTHOR_NAME: a.author ?? 'Old Build', GIT_AUTHOR_EMAIL: 'old@example.com' };
  try {
    git(repoDir, ['read-tree', head], { env });
    git(repoDir, ['update-index', '--add', '--cacheinfo', `100644,${blob},${a.path}`], { env });
    const tree = git(repoDir, ['write-tree'], { env }).trim();
    const commit = git(repoDir, ['commit-tree', tree, '-p', head, '-F', '-'], { input: a.message, env }).trim();
    git(repoDir, ['update-ref', ref, commit, head]);
    return commit;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The message a verso save writes (DESIGN.md "Git layout"), with any trailer values. */
export function versoMessage(summary: string, trailers: Record<string, string | number>): string {
  return `${summary}\n\n${Object.entries(trailers).map(([k, v]) => `Verso-${k}: ${v}`).join('\n')}\n`;
}
