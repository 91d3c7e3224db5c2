/**
 * Git smart HTTP needs the `git` program: isomorphic-git has no server side (no upload-pack
 * or receive-pack), so verso runs `git http-backend`, git's own CGI program, which also runs
 * the repository's hooks. Checked once when the router is built, with a message that says
 * what to install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface GitInstallation {
  version: string;
  execPath: string;
}

export class GitMissingError extends Error {
  constructor(detail: string) {
    super(
      `verso's git smart HTTP (/git) needs the git program with git http-backend (git 2.29 or newer) on the PATH: ${detail}. ` +
        'Install git (apt-get install git, brew install git, …) and start verso again.',
    );
    this.name = 'GitMissingError';
  }
}

/** @throws GitMissingError when git or its http-backend is missing, or git is too old. */
export function requireGitHttpBackend(): GitInstallation {
  const version = spawnSync('git', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) throw new GitMissingError(`running "git --version" failed (${version.error?.message ?? version.stderr.trim()})`);
  const m = /git version (\d+)\.(\d+)/.exec(version.stdout);
  if (!m) throw new GitMissingError(`unrecognised "git --version" output ${JSON.stringify(version.stdout.trim())}`);
  // --no-write-fetch-head (sync) and --diff-merges (the push check) need 2.29+.
  if (Number(m[1]) < 2 || (Number(m[1]) === 2 && Number(m[2]) < 29)) throw new GitMissingError(`found ${version.stdout.trim()}`);
  const execPath = spawnSync('git', ['--exec-path'], { encoding: 'utf8' }).stdout.trim();
  if (!execPath || !existsSync(join(execPath, 'git-http-backend'))) throw new GitMissingError(`git-http-backend is not in ${execPath || 'git --exec-path'}`);
  return { version: version.stdout.trim(), execPath };
}
