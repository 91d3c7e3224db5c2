/**
 * A real Git remote for integration tests: a bare repository served over HTTP by git's own
 * `git http-backend` (CGI) behind a tiny Node bridge, with HTTP Basic auth. `beforePush` runs
 * once when a client starts a push (its receive-pack ref discovery), so a test can move the
 * branch between the client's fetch and its push.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git, gitEnv } from './git.js';

export interface GitRemoteServer {
  /** Clone URL of the repository (`<base>/repo.git`). */
  url: string;
  /** The bare repository on disk. */
  bare: string;
  username: string;
  token: string;
  /** Counts receive-pack POSTs (pushes that reached the server). */
  pushes: number;
  beforePush?: () => Promise<void>;
  /**
   * Runs once when a push's pack arrives, before receive-pack sees it: a branch moved here
   * moved after the client read the refs, so the server answers "ng" (not a client-side
   * non-fast-forward).
   */
  beforeReceive?: () => Promise<void>;
  /** Commits `files` on `branch` directly in the remote, as another client would. */
  commitDirectly(branch: string, files: Record<string, string>, message: string, author?: { name: string; email: string }): string;
  stop(): Promise<void>;
}

function cgi(req: IncomingMessage, res: ServerResponse, root: string): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const child = spawn('git', ['http-backend'], {
    env: {
      ...gitEnv(),
      GIT_PROJECT_ROOT: root, GIT_HTTP_EXPORT_ALL: '1', PATH_INFO: url.pathname, REQUEST_METHOD: req.method ?? 'GET',
      QUERY_STRING: url.search.slice(1), CONTENT_TYPE: req.headers['content-type'] ?? '', REMOTE_USER: 'tester', REMOTE_ADDR: '127.0.0.1',
      GATEWAY_INTERFACE: 'CGI/1.1', SERVER_PROTOCOL: 'HTTP/1.1',
      ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      ...(typeof req.headers['content-encoding'] === 'string' ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(typeof req.headers['git-protocol'] === 'string' ? { GIT_PROTOCOL: req.headers['git-protocol'] } : {}),
    },
  });
  req.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  child.on('close', () => {
    const out = Buffer.concat(chunks);
    const sep = out.indexOf('\r\n\r\n') >= 0 ? { at: out.indexOf('\r\n\r\n'), len: 4 } : { at: out.indexOf('\n\n'), len: 2 };
    let status = 200;
    for (const line of out.subarray(0, sep.at).toString('latin1').split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      const name = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
      else res.setHeader(name, value);
    }
    res.statusCode = status;
    res.end(out.subarray(sep.at + sep.len));
  });
}

export async function startGitRemote(opts: { branch?: string; token?: string; seed?: Record<string, string> } = {}): Promise<GitRemoteServer> {
  const root = await mkdtemp(join(tmpdir(), 'integrations-remote-'));
  const bare = join(root, 'repo.git');
  const branch = opts.branch ?? 'main';
  git(root, ['init', '--bare', '-q', `--initial-branch=${branch}`, bare]);
  git(bare, ['config', 'http.receivepack', 'true']);
  const token = opts.token ?? 'remote-token-0123456789';
  const expected = `Basic ${Buffer.from(`bot:${token}`).toString('base64')}`;
  const server = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' }).end('unauthorized\n');
      return;
    }
    void (async () => {
      if (req.url?.includes('service=git-receive-pack') && req.method === 'GET' && remote.beforePush) {
        const hook = remote.beforePush;
        remote.beforePush = undefined;
        await hook();
      }
      if (req.method === 'POST' && req.url?.endsWith('/git-receive-pack')) {
        remote.pushes++;
        if (remote.beforeReceive) {
          const hook = remote.beforeReceive;
          remote.beforeReceive = undefined;
          await hook();
        }
      }
      cgi(req, res, root);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const remote: GitRemoteServer = {
    url: `http://127.0.0.1:${port}/repo.git`,
    bare,
    username: 'bot',
    token,
    pushes: 0,
    commitDirectly(onBranch, files, message, author = { name: 'Engineer', email: 'eng@example.com' }) {
      const work = join(root, `work-${Date.now()}-${Math.random().toString(16).slice(2)}`);
      const env = { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email };
      git(root, ['clone', '-q', bare, work]);
      const has = git(work, ['ls-remote', 'origin', `refs/heads/${onBranch}`]).trim() !== '';
      if (has) git(work, ['checkout', '-q', onBranch]);
      else git(work, ['checkout', '-q', '--orphan', onBranch]);
      for (const [p, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, p)), { recursive: true });
        writeFileSync(join(work, p), content);
        git(work, ['add', p]);
      }
      git(work, ['commit', '-q', '-m', message], { env });
      git(work, ['push', '-q', 'origin', `HEAD:refs/heads/${onBranch}`]);
      return git(bare, ['rev-parse', `refs/heads/${onBranch}`]).trim();
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
  if (opts.seed) remote.commitDirectly(branch, opts.seed, 'Initial commit');
  return remote;
}

