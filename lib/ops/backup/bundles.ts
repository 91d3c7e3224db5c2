/**
 * The Git half of a backup, done by the `git` program (isomorphic-git writes no bundles):
 * `git bundle create --all` per site, and `git fetch` from a bundle into a bare repository,
 * which checks every object on the way in (index-pack, fetch.fsckObjects). `git bundle verify`
 * alone reads only the bundle's header, so verify fetches too.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InternalError } from '../../errors/index.js';
import { git, runGit } from '../runGit.js';
import type { ManifestRef } from './manifest.js';

/**
 * @throws InternalError naming what to install when the git program is missing or too old.
 */
export async function requireGit(what: string): Promise<void> {
  let version: string;
  try {
    version = (await git({ args: ['--version'] })).trim();
  } catch (err) {
    throw new InternalError(`${what} needs the git program (2.29 or newer) on the PATH, and running "git --version" failed: ${(err as Error).message}. Install git (apt-get install git, brew install git, …) and run it again.`, {}, err);
  }
  const m = /git version (\d+)\.(\d+)/.exec(version);
  if (!m || Number(m[1]) < 2 || (Number(m[1]) === 2 && Number(m[2]) < 29)) {
    throw new InternalError(`${what} needs git 2.29 or newer (for fetch --no-write-fetch-head); found ${JSON.stringify(version)}`);
  }
}

/** Refs of a repository (or of a bundle's heads), HEAD left out, in name order. */
function parseRefLines(text: string): ManifestRef[] {
  const refs: ManifestRef[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{40}) (refs\/\S+)$/.exec(line.trim());
    if (m) refs.push({ ref: m[2]!, oid: m[1]! });
  }
  return refs.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

export async function listRepoRefs(gitDir: string): Promise<ManifestRef[]> {
  return parseRefLines(await git({ gitDir, args: ['for-each-ref', '--format=%(objectname) %(refname)'] }));
}

/** What HEAD points at (`refs/heads/main`), or null when it is detached or unreadable. */
export async function symbolicHead(gitDir: string): Promise<string | null> {
  const r = await runGit({ gitDir, args: ['symbolic-ref', '-q', 'HEAD'] });
  const ref = r.stdout.toString('utf8').trim();
  return r.status === 0 && /^refs\/heads\/\S+$/.test(ref) ? ref : null;
}

/**
 * Writes `git bundle create <file> --all` and returns the refs it holds, or undefined when the
 * repository has no refs yet (a site nothing was saved to: git refuses an empty bundle).
 */
export async function createBundle(gitDir: string, file: string): Promise<ManifestRef[] | undefined> {
  if (!(await listRepoRefs(gitDir)).length) return undefined;
  const r = await runGit({ gitDir, args: ['bundle', 'create', '--quiet', file, '--all'] });
  if (r.status !== 0) {
    if (/empty bundle/i.test(r.stderr)) return undefined;
    throw new InternalError(`git bundle create failed for ${gitDir}: ${r.stderr.trim()}`);
  }
  return bundleHeads(file);
}

export async function bundleHeads(file: string): Promise<ManifestRef[]> {
  return parseRefLines(await git({ args: ['bundle', 'list-heads', file] }));
}

/** Fetches every ref of a bundle into a bare repository, checking each object. */
export async function fetchBundle(gitDir: string, file: string): Promise<void> {
  await git({ gitDir, args: ['-c', 'fetch.fsckObjects=true', 'fetch', '--quiet', '--no-write-fetch-head', file, '+refs/*:refs/*'] });
}

/**
 * Checks a bundle the way a restore would use it: its header (`git bundle verify`), then a
 * fetch of everything into a scratch repository. Returns the problems found (empty: good).
 */
export async function checkBundle(file: string, expected: ManifestRef[]): Promise<string[]> {
  const scratch = await mkdtemp(join(tmpdir(), 'verso-verify-'));
  try {
    await git({ args: ['init', '--quiet', '--bare', scratch] });
    const header = await runGit({ gitDir: scratch, args: ['bundle', 'verify', '--quiet', file] });
    if (header.status !== 0) return [`git bundle verify failed: ${lastLine(header.stderr)}`];
    const fetched = await runGit({ gitDir: scratch, args: ['-c', 'fetch.fsckObjects=true', 'fetch', '--quiet', '--no-write-fetch-head', file, '+refs/*:refs/*'] });
    if (fetched.status !== 0) return [`its objects do not unpack: ${lastLine(fetched.stderr)}`];
    const problems: string[] = [];
    const have = new Map((await listRepoRefs(scratch)).map((r) => [r.ref, r.oid]));
    for (const r of expected) {
      const oid = have.get(r.ref);
      if (oid !== r.oid) problems.push(`${r.ref} is ${oid ?? 'missing'}, the manifest says ${r.oid}`);
      have.delete(r.ref);
    }
    for (const ref of have.keys()) problems.push(`${ref} is in the bundle but not in the manifest`);
    return problems;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function lastLine(stderr: string): string {
  return stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? 'no message';
}
