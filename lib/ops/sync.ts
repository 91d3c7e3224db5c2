/**
 * sync: brings commits made elsewhere (another repository, a URL or a path) into a site's
 * branch. git fetches them under a temporary ref; they pass the same check as a push
 * (validatePush.ts); the branch moves with verso's compare-and-swap only when that is a
 * fast-forward, so a save or a push racing the sync is never overwritten; then the new commits
 * are indexed like pushed ones (reconcile).
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ConflictError, NotFoundError, ValidationError } from '../errors/index.js';
import { parseBranch } from '../ids.js';
import { openSiteRepo, type SiteRepo } from '../objects/index.js';
import type { EmbeddedStore, Oid } from '../types.js';
import { git, runGit } from './runGit.js';
import { describeProblems, validatePush, ZERO_OID, type PushRules } from './validatePush.js';

export interface SyncBranchArgs {
  repo: SiteRepo;
  /** A git URL (https://, ssh://, git@host:path, file://) or a path to a repository. */
  from: string;
  /** The site's branch to move (default main). */
  branch?: string;
  /** The branch to take from `from` (default: the same name). */
  fromBranch?: string;
  rules: PushRules;
}

export interface SyncResult {
  branch: string;
  from: string;
  /** The branch head before (undefined: the branch was created). */
  before?: string;
  after: string;
  /** Commits the branch gained. */
  commits: number;
  upToDate: boolean;
}

const INCOMING = 'refs/verso/incoming';
const MAX_ATTEMPTS = 20;
const ALLOWED_TRANSPORTS = ['protocol.allow=never', ...['file', 'git', 'http', 'https', 'ssh'].map((p) => `protocol.${p}.allow=always`)].flatMap((c) => ['-c', c]);

/** A URL stays as given; anything else is a path, made absolute against the caller's cwd. */
export function normalizeSource(from: string, cwd = process.cwd()): string {
  if (typeof from !== 'string' || !from.trim()) throw new ValidationError('give the repository to sync from (--from URL or path)', { field: 'from' });
  // A leading dash would be read by git as an option.
  if (from.startsWith('-')) throw new ValidationError('the repository to sync from cannot start with "-"', { field: 'from' });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(from) || /^[^/\s]+@[^/\s:]+:/.test(from)) return from;
  return resolve(cwd, from);
}

/**
 * Fetches `fromBranch` of `from` and fast-forwards `branch` to it. Indexes nothing (see syncSite).
 * @throws ValidationError when the source cannot be fetched or its commits break the layout.
 * @throws ConflictError when the site's branch has commits the source lacks (not a fast-forward).
 */
export async function syncBranch(a: SyncBranchArgs): Promise<SyncResult> {
  const branch = parseBranch(a.branch ?? 'main');
  if (branch === 'published') throw new ValidationError('the published branch moves only by publishing', { field: 'branch' });
  const fromBranch = a.fromBranch ?? branch;
  if (!/^[A-Za-z0-9._/-]+$/.test(fromBranch) || fromBranch.startsWith('-')) throw new ValidationError(`not a branch name: ${JSON.stringify(fromBranch)}`, { field: 'fromBranch' });
  const from = normalizeSource(a.from);
  const gitDir = a.repo.dir;
  const temp = `${INCOMING}/${randomBytes(8).toString('hex')}`;
  const ref = `refs/heads/${branch}`;
  try {
    const fetched = await runGit({
      gitDir,
      // fsckObjects: refuse malformed objects so `git fsck` stays clean. Only the usual
      // transports: never ext:: (it runs a command) or anything else a URL could name.
      args: ['-c', 'fetch.fsckObjects=true', ...ALLOWED_TRANSPORTS, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--no-recurse-submodules', '--end-of-options', from, `+refs/heads/${fromBranch}:${temp}`],
    });
    if (fetched.status !== 0) {
      const said = fetched.stderr.trim().split('\n').slice(-2).join(' ');
      if (/couldn't find remote ref/i.test(said)) throw new NotFoundError(`${from} has no branch ${fromBranch}`, { from, branch: fromBranch });
      throw new ValidationError(`cannot fetch from ${from}: ${said}`, { from });
    }
    const incoming = (await git({ gitDir, args: ['rev-parse', '--verify', `${temp}^{commit}`] })).trim() as Oid;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = await a.repo.readRef(ref);
      if (before === incoming || (before && (await isAncestor(gitDir, incoming, before)))) {
        return { branch, from, before, after: before, commits: 0, upToDate: true };
      }
      if (before && !(await isAncestor(gitDir, before, incoming))) {
        throw new ConflictError(`${branch} has commits that ${from} (${fromBranch}) lacks: not a fast-forward. Merge ${branch} into the source and sync again`, { branch, from, head: before, incoming });
      }
      const problems = await validatePush({ gitDir, updates: [{ ref, old: before ?? ZERO_OID, new: incoming }], rules: a.rules, excludeRefs: [`${INCOMING}/*`] });
      if (problems.length) throw new ValidationError(describeProblems(problems, 'sync').trimEnd(), { problems });
      const commits = Number((await git({ gitDir, args: ['rev-list', '--count', incoming, ...(before ? [`^${before}`] : [])] })).trim());
      if ((await a.repo.casRef(ref, before, incoming)).ok) return { branch, from, before, after: incoming, commits, upToDate: false };
    }
    throw new ConflictError(`${branch} kept moving during the sync; try again`, { branch });
  } finally {
    await runGit({ gitDir, args: ['update-ref', '-d', temp] });
  }
}

async function isAncestor(gitDir: string, ancestor: string, descendant: string): Promise<boolean> {
  return (await runGit({ gitDir, args: ['merge-base', '--is-ancestor', ancestor, descendant] })).status === 0;
}

export interface SyncSiteArgs {
  store: EmbeddedStore;
  site: string;
  from: string;
  branch?: string;
  fromBranch?: string;
  /** Largest file in bytes (default 10 MiB, as the store's). */
  maxBytes?: number;
}

/**
 * `verso sync`: syncBranch on a site's repository, then indexes the new commits in this
 * process (the store's reconcile), each changed document a version with source 'git'.
 * @example
 *   await syncSite({ store, site: 'acme', from: 'https://github.com/acme/content.git', branch: 'main' });
 */
export async function syncSite(a: SyncSiteArgs): Promise<SyncResult & { site: string; indexed: number }> {
  const site = await a.store.getSite(a.site);
  const repo = openSiteRepo({ dir: a.store.repoDir(site.id) });
  await repo.init();
  const result = await syncBranch({ repo, from: a.from, branch: a.branch, fromBranch: a.fromBranch, rules: { locales: site.locales, maxBytes: a.maxBytes ?? DEFAULT_MAX_BYTES } });
  const report = result.upToDate ? { issues: [] } : await a.store.reconcile({ site: site.id, repair: true });
  return { site: site.id, ...result, indexed: report.issues.filter((i) => i.kind === 'unindexed_commit').length };
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
