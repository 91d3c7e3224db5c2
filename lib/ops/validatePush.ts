/**
 * The check a push (or a sync) must pass before any branch moves: every ref is a verso branch
 * moved forward, and every file the new commits add or change is a document — a path
 * `<type>/<key>/<locale>.<json|md|txt>` with slugs and one of the site's locales, a regular
 * file, within the size limit, valid JSON when it is `.json`, and not a second format of a
 * document. It runs the git CLI, so in a pre-receive hook it sees the quarantined objects
 * (githooks(5), "Quarantine environment").
 */
import { parseBranch, parseDocPath } from '../ids.js';
import { LABELS_BRANCH } from './labelCommits.js';
import { parseMessage } from '../trailers.js';
import { git, runGit } from './runGit.js';
import { batchCheck, invalidJson, parseRawLog, type Change, type GitRun } from './pushObjects.js';

export interface PushRules {
  /** The site's locales: a document path must use one of them. */
  locales: string[];
  /** Largest file in bytes. */
  maxBytes: number;
}

export interface RefUpdate {
  ref: string;
  /** 40 zeros when the ref is created. */
  old: string;
  /** 40 zeros when the ref is deleted. */
  new: string;
}

export interface PushProblem {
  ref?: string;
  path?: string;
  commit?: string;
  reason: string;
}

export interface ValidatePushArgs {
  updates: RefUpdate[];
  rules: PushRules;
  /** The repository; omit inside a hook (git's environment names it). */
  gitDir?: string;
  /** 'inherit' inside a hook (the quarantine is in the environment). */
  env?: 'inherit' | 'clean';
  /** Variables on top of `env`: a hook's quarantine when the gateway checks for the hook. */
  gitEnv?: Record<string, string>;
  /** Refs that do not count as "already in the repository" (a sync's temporary ref). */
  excludeRefs?: string[];
}

export const ZERO_OID = '0'.repeat(40);
const REGULAR_FILE = new Set(['100644', '100755']);
const TREE = '040000';
const EXTENSIONS = ['json', 'md', 'txt'];
const MAX_SHOWN = 20;
const PARALLEL_GIT = 4;

/**
 * Returns every reason to refuse the push (empty: accept). Refusal is whole: the caller
 * moves no ref when anything is returned.
 * @example
 *   const problems = await validatePush({ updates, rules: { locales: ['en'], maxBytes: 10 << 20 }, env: 'inherit' });
 *   if (problems.length) { process.stderr.write(describeProblems(problems)); process.exit(1); }
 */
export async function validatePush(a: ValidatePushArgs): Promise<PushProblem[]> {
  const run: GitRun = { gitDir: a.gitDir, env: a.env ?? 'clean', extraEnv: a.gitEnv };
  const problems: PushProblem[] = [];
  const tips: string[] = [];
  // The fast-forward checks run a few at a time: a usual push (one ref) waits for one git start.
  const fastForward: boolean[] = [];
  for (let at = 0; at < a.updates.length; at += PARALLEL_GIT) {
    const slice = a.updates.slice(at, at + PARALLEL_GIT);
    fastForward.push(...(await Promise.all(slice.map((u) => (checkRef(u) || u.old === ZERO_OID ? true : runGit({ ...run, args: ['merge-base', '--is-ancestor', u.old, u.new] }).then((r) => r.status === 0))))));
  }
  for (const [i, u] of a.updates.entries()) {
    const refProblem = checkRef(u);
    if (refProblem) {
      problems.push(refProblem);
      continue;
    }
    if (u.old !== ZERO_OID) {
      if (!fastForward[i]) {
        problems.push({ ref: u.ref, reason: 'is not a fast-forward: verso never rewrites history; fetch, rebase or merge, and push again' });
        continue;
      }
    }
    tips.push(u.new);
  }
  if (tips.length) problems.push(...(await checkNewCommits(run, tips, a.rules, a.excludeRefs ?? [])));
  return problems;
}

/** The message for a refused push, one line per problem, naming each path. */
export function describeProblems(problems: PushProblem[], what = 'push'): string {
  const lines = problems.slice(0, MAX_SHOWN).map((p) => {
    const where = p.path ? `${p.path}${p.commit ? ` (commit ${p.commit.slice(0, 12)})` : ''}` : p.ref ? p.ref : p.commit ? `commit ${p.commit.slice(0, 12)}` : '';
    return `  ${where}: ${p.reason}`;
  });
  if (problems.length > MAX_SHOWN) lines.push(`  …and ${problems.length - MAX_SHOWN} more`);
  return `verso refused this ${what}; no branch was updated:\n${lines.join('\n')}\n`;
}

function checkRef(u: RefUpdate): PushProblem | undefined {
  if (!u.ref.startsWith('refs/heads/')) {
    return { ref: u.ref, reason: 'only branches (refs/heads/<name>) can be pushed; tags and notes are made through verso' };
  }
  const name = u.ref.slice('refs/heads/'.length);
  if (name === LABELS_BRANCH) return { ref: u.ref, reason: 'the labels branch moves only through verso (verso label, DocHandle.label): it is the audit trail of labels' };
  try {
    parseBranch(name);
  } catch {
    return { ref: u.ref, reason: 'a branch name must be a slug (a-z, 0-9 and inner hyphens) and not a reserved word' };
  }
  if (name === 'published') return { ref: u.ref, reason: 'the published branch moves only by publishing through verso (API, CLI or /ui)' };
  if (u.new === ZERO_OID) return { ref: u.ref, reason: 'branches are deleted through verso (API or CLI), which keeps their history reachable' };
  return undefined;
}

async function checkNewCommits(run: GitRun, tips: string[], rules: PushRules, excludeRefs: string[]): Promise<PushProblem[]> {
  // Commits reachable from the new tips and from no ref the repository already has; each
  // compared with its first parent, so a merge is checked for what it brings to the branch.
  const excludes = excludeRefs.map((r) => `--exclude=${r}`);
  // The two walks are independent: run together, a push waits for one git start, not two
  // (a pre-receive check is inside the window in which a save makes the push fail).
  const [log, forged] = await Promise.all([
    git({
      ...run,
      // -t lists the trees too: an empty directory at a document path has no file to report.
      args: ['log', '-z', '--raw', '-t', '--no-abbrev', '--no-renames', '--diff-merges=first-parent', '--format=%x01%H %P', ...tips, '--not', ...excludes, '--all', '--'],
    }),
    forgedTrailers(run, tips, excludes),
  ]);
  const changes = parseRawLog(log);
  const problems: PushProblem[] = forged;
  const candidates: Change[] = [];
  for (const ch of changes) {
    if (ch.mode === TREE) {
      // A directory is fine unless it sits where a document goes, which it would make unsavable.
      if (parseDocPath(ch.path)) problems.push({ path: ch.path, commit: ch.commit, reason: 'is a directory; a document path must be a file (remove the directory)' });
      continue;
    }
    const p = checkPath(ch, rules);
    if (p) problems.push(p);
    else candidates.push(ch);
  }
  if (!candidates.length) return problems;

  // One batch for sizes (by blob) and for the other formats of each document (by path).
  const queries: string[] = [];
  for (const ch of candidates) {
    queries.push(ch.blob);
    for (const other of otherFormats(ch.path)) {
      queries.push(`${ch.commit}:${other}`);
      if (ch.parent) queries.push(`${ch.parent}:${other}`);
    }
  }
  const found = await batchCheck(run, queries);
  const jsonBlobs = new Set<string>();
  for (const ch of candidates) {
    const size = found.get(ch.blob)?.size ?? 0;
    if (size > rules.maxBytes) {
      problems.push({ path: ch.path, commit: ch.commit, reason: `is ${size} bytes; the limit is ${rules.maxBytes}` });
      continue;
    }
    const twin = otherFormats(ch.path).find((o) => found.has(`${ch.commit}:${o}`) || (ch.parent && found.has(`${ch.parent}:${o}`)));
    if (twin) {
      problems.push({ path: ch.path, commit: ch.commit, reason: `this document is also ${twin}: a document has one format, and it cannot change` });
      continue;
    }
    if (ch.path.endsWith('.json')) jsonBlobs.add(ch.blob);
  }
  const bad = await invalidJson(run, [...jsonBlobs]);
  for (const ch of candidates) {
    const why = bad.get(ch.blob);
    if (why) problems.push({ path: ch.path, commit: ch.commit, reason: `is not valid JSON: ${why}` });
  }
  return dedupe(problems);
}

/**
 * Verso's trailers give version numbers; only verso writes them. A new commit carrying them was
 * forged, or rebased or cherry-picked from a verso commit, and would claim numbers in use.
 */
async function forgedTrailers(run: GitRun, tips: string[], excludes: string[]): Promise<PushProblem[]> {
  const out = await git({ ...run, args: ['log', '-z', '--format=%H%n%B', ...tips, '--not', ...excludes, '--all', '--'] });
  const problems: PushProblem[] = [];
  for (const entry of out.split('\0')) {
    const nl = entry.indexOf('\n');
    if (nl < 0) continue;
    if (parseMessage(entry.slice(nl + 1)).docs.length) {
      problems.push({ commit: entry.slice(0, nl).trim(), reason: 'carries verso trailers (Verso-Doc…) but was not written by verso (rebased or cherry-picked from a verso commit?); remove them, or merge instead of rebasing' });
    }
  }
  return problems;
}

function checkPath(ch: Change, rules: PushRules): PushProblem | undefined {
  if (!REGULAR_FILE.has(ch.mode)) {
    return { path: ch.path, commit: ch.commit, reason: ch.mode === '120000' ? 'is a symbolic link; documents are regular files' : ch.mode === '160000' ? 'is a submodule; documents are regular files' : 'is not a regular file' };
  }
  const addr = parseDocPath(ch.path);
  if (!addr) {
    return { path: ch.path, commit: ch.commit, reason: 'is outside the document layout <type>/<key>/<locale>.<json|md|txt> (type and key are slugs: a-z, 0-9, inner hyphens)' };
  }
  if (!rules.locales.includes(addr.locale)) {
    return { path: ch.path, commit: ch.commit, reason: `locale ${addr.locale} is not one of the site's locales (${rules.locales.join(', ')})` };
  }
  return undefined;
}

function otherFormats(path: string): string[] {
  const dot = path.lastIndexOf('.');
  const stem = path.slice(0, dot);
  const ext = path.slice(dot + 1);
  return EXTENSIONS.filter((e) => e !== ext).map((e) => `${stem}.${e}`);
}

function dedupe(problems: PushProblem[]): PushProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.ref}|${p.path}|${p.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
