/**
 * Runs `git http-backend` (git's CGI program for smart HTTP) for one request: the request body
 * is piped to it, its CGI headers (`Status:`, `Content-Type:` …) become the response's. A
 * fetch streams the answer; a push is held until the caller has indexed what it brought
 * (`beforeAnswer`), so a client that sees its push accepted finds its versions in the index.
 */
import { spawn } from 'node:child_process';
import type { Request, Response } from 'express';
import { gitEnvironment } from '../../lib/ops/runGit.js';

export interface HttpBackendArgs {
  req: Request;
  res: Response;
  /** GIT_PROJECT_ROOT: the directory holding `<site>.git`. */
  projectRoot: string;
  /** PATH_INFO: `/<site>.git/info/refs` and so on. */
  pathInfo: string;
  remoteUser: string;
  /** Extra environment for git and the hooks it runs. */
  env?: Record<string, string>;
  /** Git configuration for this run only (GIT_CONFIG_COUNT…). */
  config?: Record<string, string>;
  /** Buffer the answer and call this before sending it (pushes). */
  beforeAnswer?: (exitStatus: number) => Promise<void>;
}

interface CgiHead {
  status: number;
  headers: Array<[string, string]>;
  rest: Buffer;
}

export function runHttpBackend(a: HttpBackendArgs): Promise<void> {
  const { req, res } = a;
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
  const env: NodeJS.ProcessEnv = {
    ...gitEnvironment('clean'),
    ...a.env,
    GIT_PROJECT_ROOT: a.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: a.pathInfo,
    REQUEST_METHOD: req.method,
    QUERY_STRING: query,
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    // http-backend enables receive-pack only for an authenticated user.
    REMOTE_USER: a.remoteUser,
    REMOTE_ADDR: req.ip ?? '',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
  };
  const length = req.headers['content-length'];
  if (length !== undefined) env.CONTENT_LENGTH = length;
  const encoding = req.headers['content-encoding'];
  if (typeof encoding === 'string') env.HTTP_CONTENT_ENCODING = encoding;
  const protocol = req.headers['git-protocol'];
  if (typeof protocol === 'string') env.GIT_PROTOCOL = protocol;
  const config = Object.entries(a.config ?? {});
  if (config.length) {
    env.GIT_CONFIG_COUNT = String(config.length);
    config.forEach(([k, v], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = k;
      env[`GIT_CONFIG_VALUE_${i}`] = v;
    });
  }

  return new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')).length > 65536 && (stderr = stderr.slice(-32768)));
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // git may stop reading early (a refused request)
    req.pipe(child.stdin);
    // A client that goes away must not leave git running.
    res.on('close', () => {
      if (!res.writableFinished && child.exitCode === null) child.kill('SIGTERM');
    });

    const exited = new Promise<number>((done) => child.on('close', (code) => done(code ?? 128)));
    readHead(child.stdout)
      .then(async (head) => {
        if (!head) {
          const status = await exited;
          req.log?.error({ status, stderr: stderr.slice(-2000) }, 'git http-backend gave no answer');
          if (!res.headersSent) res.status(500).type('text/plain').send('git http-backend failed\n');
          return resolve();
        }
        if (!a.beforeAnswer) {
          res.status(head.status);
          for (const [k, v] of head.headers) res.setHeader(k, v);
          res.write(head.rest);
          child.stdout.pipe(res);
          await exited;
          return resolve();
        }
        const chunks: Buffer[] = [head.rest];
        child.stdout.on('data', (d: Buffer) => chunks.push(d));
        child.stdout.resume();
        const status = await exited;
        if (stderr.trim()) req.log?.info({ stderr: stderr.slice(-2000) }, 'git http-backend said');
        await a.beforeAnswer(status);
        res.status(head.status);
        for (const [k, v] of head.headers) res.setHeader(k, v);
        res.end(Buffer.concat(chunks));
        resolve();
      })
      .catch(reject);
  });
}

/** Reads CGI headers up to the blank line; leaves the stream paused after them. */
function readHead(stream: NodeJS.ReadableStream): Promise<CgiHead | undefined> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const crlf = buf.indexOf('\r\n\r\n');
      const lf = buf.indexOf('\n\n');
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? { at: crlf, len: 4 } : lf >= 0 ? { at: lf, len: 2 } : undefined;
      if (!end) {
        if (buf.length > 65536) finish(undefined);
        return;
      }
      finish(parseHead(buf.subarray(0, end.at).toString('latin1'), buf.subarray(end.at + end.len)));
    };
    const onEnd = () => finish(undefined);
    const finish = (head: CgiHead | undefined) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', reject);
      stream.pause();
      resolve(head);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', reject);
  });
}

function parseHead(text: string, rest: Buffer): CgiHead {
  let status = 200;
  const headers: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]) || 500;
    else headers.push([name, value]);
  }
  return { status, headers, rest };
}
