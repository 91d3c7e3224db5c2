/**
 * The `git` kind: any smart-HTTP remote (GitLab, Gitea, Bitbucket, `git http-backend`, another
 * verso). Each operation fetches the target branch shallow (depth 1) into a private bare
 * repository of the integration, reads or commits there with verso's object store, and pushes.
 * A push refused because the branch moved (isomorphic-git's non-fast-forward check against the
 * refs the server advertises, or the server's own "ng" when it moved after that) re-fetches and
 * redoes the commit on the new head, with the expected-blob check run again: never a force.
 * Writes of one integration are serialised in this process (its scratch refs are shared).
 */
import fs from 'node:fs';
import git from 'isomorphic-git';
import { AuthError, ConflictError, NotFoundError, VersoError } from '../../errors/index.js';
import { openSiteRepo, type SiteRepo } from '../../objects/index.js';
import type { Author, Oid } from '../../types.js';
import { redact, type IntegrationRemote, type IntegrationSecrets, type RemoteFile, type WriteFileArgs, type WriteResult } from '../types.js';
import { basicAuthHeaders, guardedGitHttp } from './http.js';

export interface GitRemoteArgs {
  url: string;
  /** The integration's scratch bare repository (created when missing). */
  workDir: string;
  username?: string;
  secrets: IntegrationSecrets;
  fetch: typeof fetch;
  committer?: { name: string; email: string };
  maxAttempts?: number;
}

const NOREPLY = 'noreply@verso.invalid';
const PUSH_REF = 'refs/heads/verso-push';
const queues = new Map<string, Promise<unknown>>();

function serialise<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const settled = next.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => queues.get(key) === settled && queues.delete(key));
  return next;
}

export function gitRemote(a: GitRemoteArgs): IntegrationRemote {
  const http = guardedGitHttp(a.fetch);
  const headers = basicAuthHeaders(a.username, a.secrets.token);
  const gitdir = a.workDir;
  const cache = {};
  let repo: SiteRepo | undefined;
  const local = async (): Promise<SiteRepo> => {
    if (!repo) {
      const r = openSiteRepo({ dir: gitdir, cache });
      await r.init();
      // isomorphic-git's fetch records what it fetched under the remote's refspec.
      await git.setConfig({ fs, gitdir, path: 'remote.origin.fetch', value: '+refs/heads/*:refs/remotes/origin/*' });
      repo = r;
    }
    return repo;
  };
  const translate = (err: unknown, what: string): unknown => {
    if (err instanceof VersoError) return err;
    const e = err as { code?: string; data?: { statusCode?: number }; message?: string };
    const message = redact(String(e?.message ?? err), a.secrets).slice(0, 500);
    const status = e?.data?.statusCode;
    const data = { remote: 'git', ...(status ? { remoteStatus: status } : {}), remoteMessage: message };
    if (status === 401) return new AuthError(`the Git remote refused the integration's credentials (${what})`, data, err);
    if (status === 403) return new AuthError(`the Git remote refused access (${what}); check the token's permissions`, data, err);
    if (status === 404) return new NotFoundError(`the Git remote has no repository at this URL (${what})`, data, err);
    return new VersoError('unavailable', `the Git remote failed ${what}: ${message}`, data, err);
  };

  const serverHead = async (branch: string): Promise<Oid | undefined> => {
    try {
      const refs = await git.listServerRefs({ http, url: a.url, headers, prefix: `refs/heads/${branch}`, protocolVersion: 1 });
      return refs.find((r) => r.ref === `refs/heads/${branch}`)?.oid as Oid | undefined;
    } catch (err) {
      throw translate(err, 'listing branches');
    }
  };

  /** The branch head, fetched shallow; undefined when the remote has no such branch. */
  const fetchHead = async (branch: string): Promise<Oid | undefined> => {
    await local();
    if (!(await serverHead(branch))) return undefined;
    try {
      const res = await git.fetch({ fs, http, gitdir, cache, url: a.url, headers, ref: branch, remoteRef: branch, singleBranch: true, depth: 1, tags: false });
      return (res.fetchHead ?? undefined) as Oid | undefined;
    } catch (err) {
      throw translate(err, `fetching ${branch}`);
    }
  };

  const readAt = async (commit: Oid, path: string): Promise<Oid | null> => (await (await local()).readPath(commit, path)) ?? null;

  return {
    async defaultBranch() {
      try {
        const info = await git.getRemoteInfo2({ http, url: a.url, headers, protocolVersion: 1 });
        const head = info.refs?.find((r) => r.ref === 'HEAD');
        return head?.target?.replace(/^refs\/heads\//, '') ?? 'main';
      } catch (err) {
        throw translate(err, 'reading the default branch');
      }
    },

    async snapshot(branch, paths) {
      return serialise(gitdir, async () => {
        const commit = await fetchHead(branch);
        const blobs = new Map<string, Oid>();
        if (!commit) return { branch, blobs };
        // One tree walk over the fetched commit, however many documents are mapped.
        const wanted = new Set(paths);
        for (const f of await (await local()).listFiles(commit)) if (wanted.has(f.path)) blobs.set(f.path, f.blob);
        return { branch, commit, blobs };
      });
    },

    async readFile(branch, path) {
      return serialise(gitdir, async () => {
        const commit = await fetchHead(branch);
        if (!commit) return undefined;
        const r = await local();
        const blob = await readAt(commit, path);
        if (!blob) return undefined;
        // Depth 1: the head's author stands for the file's last author.
        const info = await r.readCommit(commit);
        const author: Author = { name: info.author.name, ...(info.author.email && info.author.email !== NOREPLY ? { email: info.author.email } : {}) };
        return { path, blob, bytes: await r.readBlob(blob), commit, author } satisfies RemoteFile;
      });
    },

    async writeFile(w: WriteFileArgs): Promise<WriteResult> {
      return serialise(gitdir, async () => {
        const r = await local();
        const attempts = a.maxAttempts ?? 5;
        const now = Math.floor(Date.now() / 1000);
        const author = { name: w.author.name, email: w.author.email ?? NOREPLY, timestamp: now, timezoneOffset: 0 };
        const committer = { ...(a.committer ?? { name: 'verso', email: NOREPLY }), timestamp: now, timezoneOffset: 0 };
        for (let attempt = 1; ; attempt++) {
          const head = await fetchHead(w.branch);
          if (w.expectBlob !== undefined) {
            const found = head ? await readAt(head, w.path) : null;
            if (found !== w.expectBlob && (w.alsoAccept === undefined || found !== w.alsoAccept)) {
              throw new ConflictError(`${w.path} changed in the Git remote since verso last pushed or pulled it`, { path: w.path, expectedBlob: w.expectBlob, remoteBlob: found, ...(head ? { remoteCommit: head } : {}) });
            }
          }
          const blob = await r.writeBlob(w.bytes);
          const commit = await r.writeCommit({
            parents: head ? [head] : [],
            baseTree: head ? (await r.readCommit(head)).tree : undefined,
            changes: [{ path: w.path, blob }],
            author,
            committer,
            message: w.message,
          });
          await git.writeRef({ fs, gitdir, ref: PUSH_REF, value: commit, force: true });
          try {
            await git.push({ fs, http, gitdir, cache, url: a.url, headers, ref: PUSH_REF, remoteRef: `refs/heads/${w.branch}` });
            return { branch: w.branch, commit, blob };
          } catch (err) {
            const code = (err as { code?: string }).code;
            // PushRejectedError: the advertised head is not our parent; GitPushError: the server said "ng".
            if ((code === 'PushRejectedError' || code === 'GitPushError') && attempt < attempts) continue;
            if (code === 'PushRejectedError' || code === 'GitPushError') {
              throw new ConflictError(`the branch ${w.branch} kept moving; gave up after ${attempts} attempts`, { branch: w.branch, attempts });
            }
            throw translate(err, `pushing to ${w.branch}`);
          }
        }
      });
    },
  };
}
