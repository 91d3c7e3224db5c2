/**
 * Creating the bare repository by writing git's files directly (what `git init --bare` and
 * isomorphic-git's init write, minus hooks and samples), each atomically, so that two processes
 * initialising one site at once both end with the same valid repository.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RepoContext } from './context.js';
import { fsyncDir } from './fsync.js';
import { LockFile } from './lockFile.js';

/**
 * `git receive-pack` fails a push when `refs/heads/<b>.lock` exists unless this is set, in
 * which case it waits for the lock (DESIGN.md, "git push and the lock file"). 10 s is twice
 * our default lock timeout: a push waits out any save.
 */
export const FILES_REF_LOCK_TIMEOUT_MS = 10000;

const DEFAULT_CONFIG =
  '[core]\n' +
  '\trepositoryformatversion = 0\n' +
  '\tfilemode = true\n' +
  '\tbare = true\n' +
  `\tfilesRefLockTimeout = ${FILES_REF_LOCK_TIMEOUT_MS}\n`;

export async function init(ctx: RepoContext): Promise<void> {
  const g = ctx.gitdir;
  const created = await mkdir(g, { recursive: true });
  for (const d of ['objects/info', 'objects/pack', 'refs/heads', 'refs/tags']) {
    await mkdir(join(g, d), { recursive: true });
  }
  // Config before HEAD: git recognises a repository by its HEAD, so a repository that has a
  // HEAD always has our config too.
  await ensureConfig(ctx);
  if (!(await exists(join(g, 'HEAD')))) {
    await writeIfAbsent(ctx, join(g, 'HEAD'), 'ref: refs/heads/main\n');
  }
  if (ctx.fsyncEnabled) {
    await Promise.all([g, join(g, 'objects'), join(g, 'refs')].map((d) => fsyncDir(d)));
    if (created !== undefined) await fsyncDir(dirname(created));
  }
}

async function ensureConfig(ctx: RepoContext): Promise<void> {
  const path = join(ctx.gitdir, 'config');
  if (hasLockTimeout(await readFile(path, 'utf8').catch(() => undefined))) return;
  const lock = await LockFile.acquire(path, lockOptions(ctx, 'config'));
  try {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (hasLockTimeout(text)) return;
    await lock.commit(text === undefined ? DEFAULT_CONFIG : withLockTimeout(text));
  } finally {
    await lock.release();
  }
}

function hasLockTimeout(config: string | undefined): boolean {
  return config !== undefined && /^[ \t]*filesRefLockTimeout[ \t]*=/im.test(config);
}

/** Adds the setting to an existing config (one `git init --bare` wrote, say), keeping the rest. */
function withLockTimeout(config: string): string {
  const line = `\tfilesRefLockTimeout = ${FILES_REF_LOCK_TIMEOUT_MS}\n`;
  const core = /^[ \t]*\[core\][ \t]*$/im.exec(config);
  if (!core) return `${config}${config === '' || config.endsWith('\n') ? '' : '\n'}[core]\n${line}`;
  const at = config.indexOf('\n', core.index + core[0].length);
  return at < 0 ? `${config}\n${line}` : `${config.slice(0, at + 1)}${line}${config.slice(at + 1)}`;
}

async function writeIfAbsent(ctx: RepoContext, path: string, content: string): Promise<void> {
  const lock = await LockFile.acquire(path, lockOptions(ctx, 'HEAD'));
  try {
    if (!(await exists(path))) await lock.commit(content);
  } finally {
    await lock.release();
  }
}

function lockOptions(ctx: RepoContext, what: string) {
  return { timeoutMs: ctx.lockTimeoutMs, fsyncEnabled: ctx.fsyncEnabled, what, root: ctx.gitdir, log: ctx.log };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
