/**
 * Installs verso's hooks into a repository: small shell shims in the repository's hooks
 * directory that run `node hooks/main.(js|ts) <hook>` from this installation (the compiled
 * copy under dist/, or the source through tsx in a checkout), plus the site's hook config.
 *
 * - a site's bare repository gets pre-receive (the layout check) and post-receive (indexing);
 * - a working clone gets post-commit (each commit is synced into the site and indexed).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ValidationError } from '../lib/errors/index.js';
import { parseSiteId } from '../lib/ids.js';
import { runGit } from '../lib/ops/runGit.js';
import { DEFAULT_MAX_BYTES } from '../lib/ops/sync.js';
import type { EmbeddedStore } from '../lib/types.js';
import { writeHookConfig, type HookConfig } from './config.js';

export type HookName = 'pre-receive' | 'post-receive' | 'post-commit';

export const SITE_REPO_HOOKS: HookName[] = ['pre-receive', 'post-receive'];
export const WORKING_REPO_HOOKS: HookName[] = ['post-commit'];

const MARKER = '# installed by verso';

export interface InstallHooksArgs {
  /** The git dir (a bare repository, or a clone's .git). */
  gitDir: string;
  /** Where the shims go; default `<gitDir>/hooks`. */
  hooksDir?: string;
  hooks: HookName[];
  config: HookConfig;
}

export interface InstallHooksResult {
  gitDir: string;
  hooksDir: string;
  installed: string[];
  /** Hooks that were already there and not verso's: left alone. */
  skipped: string[];
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command line that runs a hook program from this installation. */
export function hookCommand(): string[] {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return [process.execPath, join(dirname(here), 'main.js')];
  // A source checkout: run the TypeScript entry through tsx, found from here (a hook's cwd is
  // the repository, where `--import tsx` would not resolve).
  // (createRequire, not import.meta.resolve: the latter is missing when tsx runs this file as CommonJS.)
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return [process.execPath, '--import', tsx, join(dirname(here), 'main.ts')];
}

/**
 * The plain-JavaScript pre-receive client (no tsx, no verso modules): `hooks/` of the package
 * root, both in a checkout (hooks/install.ts) and installed (dist/hooks/install.js).
 */
export function preReceiveClientPath(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.endsWith('.js') ? join(dirname(here), '..', '..') : join(dirname(here), '..');
  return join(root, 'hooks', 'preReceiveClient.mjs');
}

export function hookShim(name: HookName): string {
  // The gateway indexes its own pushes in its process: its post-receive need not start node.
  // And it checks its own pushes in its process too: pre-receive only hands them over, through
  // the channel the gateway names (gateway/git/hookChannel.ts); any other push gets the full hook.
  const skip =
    name === 'post-receive'
      ? 'if [ "$VERSO_GATEWAY_PUSH" = 1 ]; then cat >/dev/null; exit 0; fi\n'
      : name === 'pre-receive'
        ? `if [ -n "$VERSO_HOOK_CHANNEL" ]; then exec ${[process.execPath, preReceiveClientPath()].map(quote).join(' ')}; fi\n`
        : '';
  return `#!/bin/sh\n${MARKER}: \`verso hooks install\` rewrites this file.\n${skip}exec ${hookCommand().map(quote).join(' ')} ${name} "$@"\n`;
}

/**
 * Writes the shims and the config; a hook file verso did not write is left alone (skipped).
 * Idempotent: files already up to date are not rewritten.
 * @example
 *   await installHooks({ gitDir: store.repoDir('acme'), hooks: SITE_REPO_HOOKS, config });
 */
export async function installHooks(a: InstallHooksArgs): Promise<InstallHooksResult> {
  const hooksDir = a.hooksDir ?? join(a.gitDir, 'hooks');
  await mkdir(hooksDir, { recursive: true });
  const installed: string[] = [];
  const skipped: string[] = [];
  for (const name of a.hooks) {
    const path = join(hooksDir, name);
    const want = hookShim(name);
    const have = await readFile(path, 'utf8').catch(() => undefined);
    if (have !== undefined && !have.includes(MARKER)) {
      skipped.push(name);
      continue;
    }
    if (have !== want) {
      const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(tmp, want, { mode: 0o755 });
      await chmod(tmp, 0o755);
      await rename(tmp, path);
    }
    installed.push(name);
  }
  await writeHookConfig(a.gitDir, a.config);
  return { gitDir: a.gitDir, hooksDir, installed, skipped };
}

/**
 * A site repository's hooks (pre-receive, post-receive) and config, from the store; also turns
 * on `receive.fsckObjects` so a local push of a malformed object is refused too.
 */
export async function installSiteHooks(a: { store: EmbeddedStore; site: string; maxBytes?: number }): Promise<InstallHooksResult> {
  const site = await a.store.getSite(a.site);
  // The hook opens the same index the store uses; nothing else (not the pusher's environment).
  const databaseUrl = a.store.databaseUrl;
  const gitDir = a.store.repoDir(site.id);
  const result = await installHooks({
    gitDir,
    hooks: SITE_REPO_HOOKS,
    config: { site: site.id, dataDir: a.store.dataDir, locales: site.locales, maxBytes: a.maxBytes ?? DEFAULT_MAX_BYTES, ...(databaseUrl ? { databaseUrl } : {}) },
  });
  // Best effort: the gateway sets it per push anyway, and git fails rather than waits when
  // another writer holds config.lock at this instant.
  const have = await runGit({ gitDir, args: ['config', '--get', 'receive.fsckObjects'] });
  if (have.stdout.toString().trim() !== 'true') await runGit({ gitDir, args: ['config', 'receive.fsckObjects', 'true'] });
  return result;
}

/**
 * A working clone's post-commit hook: each commit on a branch is synced into the site
 * (fast-forward only) and indexed.
 * @throws ValidationError when `repo` is not a git working tree.
 */
export async function installWorkingHooks(a: { repo: string; site: string; dataDir: string; databaseUrl?: string; maxBytes?: number }): Promise<InstallHooksResult> {
  const site = parseSiteId(a.site);
  const probe = await runGit({ cwd: a.repo, args: ['rev-parse', '--absolute-git-dir', '--git-path', 'hooks', '--is-bare-repository'] });
  if (probe.status !== 0) throw new ValidationError(`${a.repo} is not a git repository`, { field: 'repo' });
  const [gitDir, hooksPath, bare] = probe.stdout.toString('utf8').trim().split('\n') as [string, string, string];
  if (bare === 'true') throw new ValidationError(`${a.repo} is a bare repository: post-commit needs a working clone (for a site's own repository, omit --repo)`, { field: 'repo' });
  return installHooks({
    gitDir,
    hooksDir: resolve(a.repo, hooksPath),
    hooks: WORKING_REPO_HOOKS,
    config: { site, dataDir: resolve(a.dataDir), locales: [], maxBytes: a.maxBytes ?? DEFAULT_MAX_BYTES, ...(a.databaseUrl ? { databaseUrl: a.databaseUrl } : {}) },
  });
}
