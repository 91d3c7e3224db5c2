/**
 * The `github` kind over the Git Data API, without a clone: read the branch ref, create the
 * blob, a tree on `base_tree`, a commit, then move the ref without force. A 422 on the ref
 * update means the branch moved since we read it: re-read and redo the commit on the new head
 * (the expected-blob check runs again there), never force. In pull-request mode the commit goes
 * to the document's own branch and one pull request per document is opened or updated.
 */
import { ConflictError, NotFoundError } from '../../errors/index.js';
import type { Oid } from '../../types.js';
import type { IntegrationRemote, IntegrationSecrets, RemoteFile, RemoteSnapshot, WriteFileArgs, WriteResult } from '../types.js';
import type { GithubClient } from './client.js';
import { isStatus, translateGithubError } from './errors.js';

export interface GithubRemoteArgs {
  octokit: GithubClient;
  /** 'owner/name' */
  repository: string;
  secrets: IntegrationSecrets;
  committer?: { name: string; email: string };
  /** Attempts when the branch keeps moving under us. */
  maxAttempts?: number;
}

const NOREPLY = 'noreply@verso.invalid';

export function githubRemote(a: GithubRemoteArgs): IntegrationRemote {
  const [owner = '', repo = ''] = a.repository.split('/');
  const gh = a.octokit;
  const committer = a.committer ?? { name: 'verso', email: NOREPLY };
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw translateGithubError(err, what, a.secrets);
    }
  };

  const headOf = async (branch: string): Promise<Oid | undefined> => {
    try {
      return (await gh.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })).data.object.sha as Oid;
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw translateGithubError(err, `the branch ${branch} of ${a.repository}`, a.secrets);
    }
  };

  const blobAt = async (commit: Oid, path: string): Promise<Oid | null> => {
    try {
      const { data } = await gh.rest.repos.getContent({ owner, repo, path, ref: commit });
      return !Array.isArray(data) && data.type === 'file' ? (data.sha as Oid) : null;
    } catch (err) {
      if (isStatus(err, 404)) return null;
      throw translateGithubError(err, `the file ${path} of ${a.repository}`, a.secrets);
    }
  };

  const openOrUpdatePullRequest = async (base: string, pr: NonNullable<WriteFileArgs['pullRequest']>) => {
    const open = await call('the pull requests', () => gh.rest.pulls.list({ owner, repo, head: `${owner}:${pr.head}`, base, state: 'open', per_page: 1 }));
    const existing = open.data[0];
    const { data } = existing
      ? await call('updating the pull request', () => gh.rest.pulls.update({ owner, repo, pull_number: existing.number, title: pr.title, body: pr.body }))
      : await call('opening a pull request', () => gh.rest.pulls.create({ owner, repo, head: pr.head, base, title: pr.title, body: pr.body }));
    return { number: data.number, url: data.html_url };
  };

  return {
    defaultBranch: async () => (await call(`the repository ${a.repository}`, () => gh.rest.repos.get({ owner, repo }))).data.default_branch,

    async snapshot(branch, paths) {
      const commit = await headOf(branch);
      const blobs = new Map<string, Oid>();
      if (!commit) return { branch, blobs };
      const { data } = await call(`the tree of ${branch}`, () => gh.rest.git.getTree({ owner, repo, tree_sha: commit, recursive: 'true' }));
      const wanted = new Set(paths);
      for (const e of data.tree) if (e.type === 'blob' && e.path && e.sha && wanted.has(e.path)) blobs.set(e.path, e.sha as Oid);
      // GitHub truncates a recursive tree past 100,000 entries: ask for the missing paths one by one.
      if (data.truncated) {
        for (const p of paths) {
          if (blobs.has(p)) continue;
          const blob = await blobAt(commit, p);
          if (blob) blobs.set(p, blob);
        }
      }
      return { branch, commit, blobs } satisfies RemoteSnapshot;
    },

    async readFile(branch, path) {
      const commit = await headOf(branch);
      if (!commit) return undefined;
      const blob = await blobAt(commit, path);
      if (!blob) return undefined;
      const { data } = await call(`the blob of ${path}`, () => gh.rest.git.getBlob({ owner, repo, file_sha: blob }));
      const bytes = new Uint8Array(Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8'));
      const log = await call(`the history of ${path}`, () => gh.rest.repos.listCommits({ owner, repo, sha: commit, path, per_page: 1 }));
      const by = log.data[0]?.commit.author;
      const author = by?.name ? { name: by.name, ...(by.email && by.email !== NOREPLY ? { email: by.email } : {}) } : { name: 'GitHub' };
      return { path, blob, bytes, commit, author } satisfies RemoteFile;
    },

    async writeFile(w): Promise<WriteResult> {
      const target = w.pullRequest?.head ?? w.branch;
      const attempts = a.maxAttempts ?? 5;
      for (let attempt = 1; ; attempt++) {
        let head = await headOf(target);
        const base = head ?? (w.pullRequest ? await headOf(w.branch) : undefined);
        if (!base) throw new NotFoundError(`branch ${w.branch} does not exist in ${a.repository}`, { remote: 'github', branch: w.branch });
        if (w.expectBlob !== undefined) {
          const found = await blobAt(base, w.path);
          if (found !== w.expectBlob && (w.alsoAccept === undefined || found !== w.alsoAccept)) {
            throw new ConflictError(`${w.path} changed in ${a.repository} since verso last pushed or pulled it`, { path: w.path, expectedBlob: w.expectBlob, remoteBlob: found, remoteCommit: base });
          }
        }
        const blob = (await call('creating a blob', () => gh.rest.git.createBlob({ owner, repo, content: Buffer.from(w.bytes).toString('base64'), encoding: 'base64' }))).data.sha as Oid;
        const baseTree = (await call('reading the head commit', () => gh.rest.git.getCommit({ owner, repo, commit_sha: base }))).data.tree.sha;
        const tree = await call('creating a tree', () => gh.rest.git.createTree({ owner, repo, base_tree: baseTree, tree: [{ path: w.path, mode: '100644', type: 'blob', sha: blob }] }));
        const date = new Date().toISOString();
        const commit = await call('creating a commit', () =>
          gh.rest.git.createCommit({
            owner, repo, message: w.message, tree: tree.data.sha, parents: [base],
            author: { name: w.author.name, email: w.author.email ?? NOREPLY, date }, committer: { ...committer, date },
          }),
        );
        const sha = commit.data.sha as Oid;
        try {
          if (head) await gh.rest.git.updateRef({ owner, repo, ref: `heads/${target}`, sha, force: false });
          else await gh.rest.git.createRef({ owner, repo, ref: `refs/heads/${target}`, sha });
        } catch (err) {
          // 422: not a fast-forward (the branch moved) or the branch appeared meanwhile.
          if (isStatus(err, 422) && attempt < attempts) continue;
          throw translateGithubError(err, `moving ${target}`, a.secrets);
        }
        head = sha;
        const pullRequest = w.pullRequest ? await openOrUpdatePullRequest(w.branch, w.pullRequest) : undefined;
        return { branch: target, commit: head, blob, ...(pullRequest ? { pullRequest } : {}) };
      }
    },
  };
}
