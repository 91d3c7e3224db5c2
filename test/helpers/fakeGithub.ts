/**
 * A local GitHub for the `github` kind: the Git Data, contents, commits and pulls endpoints over
 * a real bare repository (written with the git CLI), every request and answer checked against
 * GitHub's OpenAPI description (githubOpenApi.ts). `violations` must stay empty; a request the
 * real API would refuse gets a 400 here too. `failNext` queues rate-limit answers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, gitEnv } from './git.js';
import { checkRequest, checkResponse, findOperation, sample, sampleItem, type Operation } from './githubOpenApi.js';

export interface FakeGithub {
  baseUrl: string;
  bare: string;
  token: string;
  violations: string[];
  requests: Array<{ method: string; path: string; status: number }>;
  failNext: Array<'primary' | 'secondary'>;
  /** Runs once before the next ref update is applied (to move the branch under the client). */
  beforeRefUpdate?: () => void;
  pulls: Array<{ number: number; head: string; base: string; title: string; body: string; state: 'open' }>;
  stop(): Promise<void>;
}

const OWNER = 'acme';
const REPO = 'shop';

export async function startFakeGithub(opts: { token?: string } = {}): Promise<FakeGithub> {
  const root = await mkdtemp(join(tmpdir(), 'integrations-github-'));
  const bare = join(root, 'shop.git');
  git(root, ['init', '--bare', '-q', '--initial-branch=main', bare]);
  const blob0 = git(bare, ['hash-object', '-w', '--stdin'], { input: '# shop\n' }).trim();
  const tree0 = git(bare, ['mktree'], { input: `100644 blob ${blob0}\tREADME.md\n` }).trim();
  const c0 = git(bare, ['commit-tree', tree0, '-m', 'Initial commit']).trim();
  git(bare, ['update-ref', 'refs/heads/main', c0]);
  const token = opts.token ?? 'ghp_faketoken0123456789';
  const g = (args: string[], input?: string | Buffer, env: Record<string, string> = {}) => git(bare, args, { ...(input === undefined ? {} : { input }), env });
  const exists = (ref: string) => execFileSync('git', ['rev-parse', '--verify', '-q', ref], { cwd: bare, env: gitEnv(), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  const tryRev = (ref: string) => {
    try {
      return exists(ref);
    } catch {
      return undefined;
    }
  };
  const api = (p: string) => `${fake.baseUrl}/repos/${OWNER}/${REPO}${p}`;
  const gitUser = (name: string, email: string, date: string) => ({ name, email, date });

  function commitJson(o: Operation, sha: string, status: number) {
    const raw = g(['cat-file', 'commit', sha]);
    const tree = /^tree (\w+)/m.exec(raw)![1]!;
    const parents = [...raw.matchAll(/^parent (\w+)/gm)].map((m) => m[1]!);
    const who = (k: string) => {
      const m = new RegExp(`^${k} (.*) <(.*)> (\\d+)`, 'm').exec(raw)!;
      return gitUser(m[1]!, m[2]!, new Date(Number(m[3]) * 1000).toISOString().replace('.000', ''));
    };
    return { ...sample(o, status), sha, node_id: 'C_x', url: api(`/git/commits/${sha}`), html_url: `https://github.test/${OWNER}/${REPO}/commit/${sha}`, author: who('author'), committer: who('committer'), message: raw.slice(raw.indexOf('\n\n') + 2), tree: { sha: tree, url: api(`/git/trees/${tree}`) }, parents: parents.map((p) => ({ sha: p, url: api(`/git/commits/${p}`), html_url: `https://github.test/c/${p}` })), verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null } };
  }
  const refJson = (ref: string, sha: string) => ({ ref, node_id: 'R_x', url: api(`/git/${ref}`), object: { type: 'commit', sha, url: api(`/git/commits/${sha}`) } });
  const treeJson = (sha: string, recursive: boolean) => {
    const lines = g(['ls-tree', ...(recursive ? ['-r', '-t'] : []), '-l', sha]).split('\n').filter(Boolean);
    const tree = lines.map((l) => {
      const [meta, path] = l.split('\t') as [string, string];
      const [mode, type, s, size] = meta.split(/\s+/) as [string, string, string, string];
      return { path, mode, type, sha: s, ...(type === 'blob' ? { size: Number(size), url: api(`/git/blobs/${s}`) } : { url: api(`/git/trees/${s}`) }) };
    });
    return { sha, url: api(`/git/trees/${sha}`), truncated: false, tree };
  };
  const pullJson = (o: Operation, status: number, p: FakeGithub['pulls'][number]) => ({ ...sample(o, status), number: p.number, title: p.title, body: p.body, state: p.state, html_url: `https://github.test/${OWNER}/${REPO}/pull/${p.number}`, url: api(`/pulls/${p.number}`) });

  function handle(o: Operation, method: string, url: URL, body: any): { status: number; json?: unknown; headers?: Record<string, string> } {
    const key = `${method} ${o.template}`;
    switch (key) {
      case 'GET /repos/{owner}/{repo}':
        return { status: 200, json: { ...sample(o, 200), name: REPO, full_name: `${OWNER}/${REPO}`, default_branch: 'main' } };
      case 'GET /repos/{owner}/{repo}/git/ref/{ref}': {
        const sha = tryRev(`refs/${o.params.ref}`);
        return sha ? { status: 200, json: refJson(`refs/${o.params.ref}`, sha) } : { status: 404, json: { message: 'Not Found', documentation_url: 'https://docs.github.com' } };
      }
      case 'GET /repos/{owner}/{repo}/contents/{path}': {
        const ref = url.searchParams.get('ref') ?? 'main';
        const sha = tryRev(`${ref}:${o.params.path}`);
        if (!sha) return { status: 404, json: { message: 'Not Found', documentation_url: 'https://docs.github.com' } };
        const content = execFileSync('git', ['cat-file', 'blob', sha], { cwd: bare, env: gitEnv() });
        const name = o.params.path!.split('/').pop()!;
        return { status: 200, json: { type: 'file', encoding: 'base64', size: content.length, name, path: o.params.path, content: content.toString('base64'), sha, url: api(`/contents/${o.params.path}`), git_url: api(`/git/blobs/${sha}`), html_url: `https://github.test/b/${sha}`, download_url: `https://raw.github.test/${sha}`, _links: { self: api(`/contents/${o.params.path}`), git: api(`/git/blobs/${sha}`), html: `https://github.test/b/${sha}` } } };
      }
      case 'POST /repos/{owner}/{repo}/git/blobs': {
        const bytes = Buffer.from(body.content, body.encoding === 'base64' ? 'base64' : 'utf8');
        const sha = g(['hash-object', '-w', '--stdin'], bytes).trim();
        return { status: 201, json: { url: api(`/git/blobs/${sha}`), sha } };
      }
      case 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}': {
        const content = execFileSync('git', ['cat-file', 'blob', o.params.file_sha!], { cwd: bare, env: gitEnv() });
        return { status: 200, json: { content: content.toString('base64'), encoding: 'base64', url: api(`/git/blobs/${o.params.file_sha}`), sha: o.params.file_sha, size: content.length, node_id: 'B_x' } };
      }
      case 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}':
        return { status: 200, json: commitJson(o, o.params.commit_sha!, 200) };
      case 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}':
        return { status: 200, json: treeJson(g(['rev-parse', `${o.params.tree_sha}^{tree}`]).trim(), url.searchParams.has('recursive')) };
      case 'POST /repos/{owner}/{repo}/git/trees': {
        const index = join(root, `index-${Date.now()}-${Math.random()}`);
        const env = { GIT_INDEX_FILE: index };
        if (body.base_tree) g(['read-tree', body.base_tree], undefined, env);
        for (const e of body.tree as Array<{ path: string; mode: string; sha: string }>) g(['update-index', '--add', '--cacheinfo', `${e.mode},${e.sha},${e.path}`], undefined, env);
        const sha = g(['write-tree'], undefined, env).trim();
        return { status: 201, json: treeJson(sha, false) };
      }
      case 'POST /repos/{owner}/{repo}/git/commits': {
        const env = { GIT_AUTHOR_NAME: body.author.name, GIT_AUTHOR_EMAIL: body.author.email, GIT_AUTHOR_DATE: body.author.date, GIT_COMMITTER_NAME: body.committer.name, GIT_COMMITTER_EMAIL: body.committer.email, GIT_COMMITTER_DATE: body.committer.date };
        const sha = g(['commit-tree', body.tree, ...(body.parents as string[]).flatMap((p) => ['-p', p]), '-F', '-'], body.message, env).trim();
        return { status: 201, json: commitJson(o, sha, 201) };
      }
      case 'PATCH /repos/{owner}/{repo}/git/refs/{ref}': {
        const ref = `refs/${o.params.ref}`;
        const hook = fake.beforeRefUpdate;
        fake.beforeRefUpdate = undefined;
        hook?.();
        const old = tryRev(ref);
        if (!old) return { status: 422, json: { message: 'Reference does not exist', documentation_url: 'https://docs.github.com' } };
        try {
          execFileSync('git', ['merge-base', '--is-ancestor', old, body.sha], { cwd: bare, env: gitEnv(), stdio: 'ignore' });
        } catch {
          if (!body.force) return { status: 422, json: { message: 'Update is not a fast forward', documentation_url: 'https://docs.github.com' } };
        }
        g(['update-ref', ref, body.sha, old]);
        return { status: 200, json: refJson(ref, body.sha) };
      }
      case 'POST /repos/{owner}/{repo}/git/refs': {
        if (tryRev(body.ref)) return { status: 422, json: { message: 'Reference already exists', documentation_url: 'https://docs.github.com' } };
        g(['update-ref', body.ref, body.sha, '']);
        return { status: 201, json: refJson(body.ref, body.sha) };
      }
      case 'GET /repos/{owner}/{repo}/commits': {
        const out = g(['log', '-1', '--format=%H%x00%an%x00%ae%x00%aI', url.searchParams.get('sha') ?? 'main', '--', url.searchParams.get('path') ?? '.']).trim();
        if (!out) return { status: 200, json: [] };
        const [sha, name, email, date] = out.split('\0') as [string, string, string, string];
        const item = { ...gen0(o), sha, node_id: 'C_x', url: api(`/commits/${sha}`), html_url: `https://github.test/c/${sha}`, comments_url: api(`/commits/${sha}/comments`), parents: [], commit: { url: api(`/git/commits/${sha}`), author: { name, email, date }, committer: { name, email, date }, message: 'm', comment_count: 0, tree: { sha, url: api(`/git/trees/${sha}`) } } };
        return { status: 200, json: [item] };
      }
      case 'GET /repos/{owner}/{repo}/pulls': {
        const head = url.searchParams.get('head')?.split(':')[1];
        return { status: 200, json: fake.pulls.filter((p) => p.head === head && p.base === url.searchParams.get('base')).map((p) => ({ ...pullListItem(o), number: p.number, html_url: `https://github.test/${OWNER}/${REPO}/pull/${p.number}` })) };
      }
      case 'POST /repos/{owner}/{repo}/pulls': {
        const p = { number: fake.pulls.length + 1, head: body.head, base: body.base, title: body.title, body: body.body, state: 'open' as const };
        fake.pulls.push(p);
        return { status: 201, json: pullJson(o, 201, p) };
      }
      case 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}': {
        const p = fake.pulls.find((x) => x.number === Number(o.params.pull_number))!;
        Object.assign(p, { title: body.title ?? p.title, body: body.body ?? p.body });
        return { status: 200, json: pullJson(o, 200, p) };
      }
      default:
        return { status: 404, json: { message: `the fake does not implement ${key}`, documentation_url: 'https://docs.github.com' } };
    }
  }
  const gen0 = (o: Operation) => sampleItem(o, 200);
  const pullListItem = (o: Operation) => sampleItem(o, 200);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', fake.baseUrl);
      const method = req.method ?? 'GET';
      const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        fake.requests.push({ method, path: url.pathname, status });
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(json === undefined ? '' : JSON.stringify(json));
      };
      const o = findOperation(method, url.pathname);
      if (!o) {
        fake.violations.push(`${method} ${url.pathname}: no such operation in GitHub's API`);
        return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com' });
      }
      if (req.headers.authorization !== `token ${token}` && req.headers.authorization !== `Bearer ${token}`) {
        return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
      }
      const failure = fake.failNext.shift();
      if (failure === 'primary') {
        return send(403, { message: 'API rate limit exceeded for user ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' }, { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) });
      }
      if (failure === 'secondary') {
        return send(429, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' }, { 'retry-after': '1' });
      }
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        fake.violations.push(`${method} ${o.template}: body is not JSON`);
        return send(400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com' });
      }
      const problems = checkRequest(o, url.searchParams, body);
      if (problems.length) {
        fake.violations.push(...problems.map((p) => `${method} ${o.template}: ${p}`));
        return send(400, { message: problems.join('; '), documentation_url: 'https://docs.github.com' });
      }
      const r = handle(o, method, url, body);
      const answer = checkResponse(o, r.status, r.json);
      fake.violations.push(...answer.map((p) => `${method} ${o.template}: ${p}`));
      send(r.status, r.json, r.headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakeGithub = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bare,
    token,
    violations: [],
    requests: [],
    failNext: [],
    pulls: [],
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
  return fake;
}
