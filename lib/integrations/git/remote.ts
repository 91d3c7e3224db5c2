/**
 * The `git` kind: any smart-HTTP remote (GitLab, Gitea, Bitbucket, `git http-backend`, another
 * verso). Each operation fetches the target branch shallow into a private bare repository of
 * the integration (depth 1; a pull fetches PULL_DEPTH commits to find who last changed the
 * file), reads or commits there with verso's object store, and pushes.
 * A push refused because the branch moved (isomorphic-git's non-fast-forward check against the
 * refs the server advertises, or the server's own "ng" when it moved after that) re-fetches and
 * redoes the commit on the new head, with the expected-blob check run again: never a force.
 * A push the server declines (a pre-receive or update hook, a protected branch: "ng" while the
 * branch stayed where we built on) is a PushDeclinedError carrying the server's words, at once:
 * the same bytes would be declined again.
 * Writes of one integration are serialised in this process (its scratch refs are shared).
 */
import fs from 'node:fs';
import git from 'isomorphic-git';
import { AuthError, ConflictError, NotFoundError, PushDeclinedError, VersoError } from '../../errors/index.js';
import { openSiteRepo, type SiteRepo } from '../../objects/index.js';
import type { Author, Oid } from '../../types.js';
import { redact, type IntegrationRemote, type IntegrationSecrets, type RemoteFile, type WriteFileArgs, type WriteResult } from '../types.js';
import { basicAuthHeaders, guardedGitHttp } from './http.js';
import { lastChange } from './lastChange.js';

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
/**
 * Commits a pull fetches to find the last one that changed the file: an older change is beyond
 * what verso sees, and the head's author stands for it (docs/integrations.md says so).
 */
export const PULL_DEPTH = 50;
/** git's own words for a ref a hook refused ("pre-receive hook declined", "hook declined"). */
const DECLINED = /\bdeclined\b/i;
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
  const fetchHead = async (branch: string, depth = 1): Promise<Oid | undefined> => {
    await local();
    if (!(await serverHead(branch))) return undefined;
    try {
      const res = await git.fetch({ fs, http, gitdir, cache, url: a.url, headers, ref: branch, remoteRef: branch, singleBranch: true, depth, tags: false });
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
        const commit = await fetchHead(branch, PULL_DEPTH);
        if (!commit) return undefined;
        const r = await local();
        const blob = await readAt(commit, path);
        if (!blob) return undefined;
        const by = (await lastChange({ repo: r, head: commit, path, blob, maxCommits: PULL_DEPTH })) ?? (await r.readCommit(commit));
        const author: Author = { name: by.author.name, ...(by.author.email && by.author.email !== NOREPLY ? { email: by.author.email } : {}) };
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
          const said: string[] = [];
          try {
            await git.push({ fs, http, gitdir, cache, url: a.url, headers, ref: PUSH_REF, remoteRef: `refs/heads/${w.branch}`, onMessage: (m) => void said.push(m) });
            return { branch: w.branch, commit, blob };
          } catch (err) {
            const code = (err as { code?: string }).code;
            // PushRejectedError: the advertised head is not our parent (the branch moved).
            // GitPushError: the server said "ng": moved after advertising, or declined.
            let moved = code === 'PushRejectedError';
            if (code === 'GitPushError') {
              const reason = ngReason(err, w.branch);
              moved = !DECLINED.test(reason) && (await serverHead(w.branch)) !== head;
              if (!moved) {
                // isomorphic-git hands the side-band lines over asynchronously: let them land.
                await new Promise((resolve) => setImmediate(resolve));
                const remoteMessage = redact(said.join('').trim() || reason, a.secrets).slice(0, 2000);
                throw new PushDeclinedError(`the Git remote declined the push to ${w.branch} (${redact(reason, a.secrets).slice(0, 200)}): ${remoteMessage}`, {
                  remote: 'git', branch: w.branch, path: w.path, remoteReason: redact(reason, a.secrets).slice(0, 500), remoteMessage,
                });
              }
            }
            if (moved && attempt < attempts) continue;
            if (moved) throw new ConflictError(`the branch ${w.branch} kept moving; gave up after ${attempts} attempts`, { branch: w.branch, attempts });
            throw translate(err, `pushing to ${w.branch}`);
          }
        }
      });
    },
  };
}

/** The server's reason for refusing the branch ("pre-receive hook declined", "failed to update ref"). */
function ngReason(err: unknown, branch: string): string {
  const data = (err as { data?: { prettyDetails?: string; result?: { error?: string; refs?: Record<string, { ok: boolean; error?: string }> } } }).data;
  const ref = data?.result?.refs?.[`refs/heads/${branch}`];
  return (ref && !ref.ok ? ref.error : undefined) || (data?.result?.error ? `unpack ${data.result.error}` : undefined) || data?.prettyDetails?.trim() || 'refused';
}
