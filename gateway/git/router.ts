/**
 * Git smart HTTP at `/git/<site>.git` (clone, fetch, push) over `git http-backend`
 * (requireGit.ts says why the git program), with HTTP Basic auth (basicAuth.ts).
 *
 * A push runs the site repository's pre-receive hook, which refuses it whole when it breaks the
 * document layout (hooks/preReceive.ts); git waits for verso's ref locks
 * (core.filesRefLockTimeout), so a push and an SDK save exclude each other. When receive-pack
 * is done, the pushed commits are indexed here, in the gateway's process (the embedded
 * database is one process's), before the push is answered.
 *
 * Every site repository gets verso's hooks (hooks/install.ts): all of them when the router is
 * built, and a site's again before each push (cheap when nothing changed).
 *
 * Three more endpoints serve the hooks and CLI of this data dir while this server holds the
 * database, authenticated by the data dir's hook token (lib/ops/localServer.ts):
 * `POST /git/<site>.git/verso/index`, `…/verso/sync` and `…/verso/install-hooks`.
 */
import { dirname } from 'node:path';
import express, { type Request, type Response } from 'express';
import { installSiteHooks } from '../../hooks/install.js';
import { VersoError, ValidationError } from '../../lib/errors/index.js';
import { HOOK_TOKEN_HEADER, ensureHookToken, tokenMatches } from '../../lib/ops/localServer.js';
import { DEFAULT_MAX_BYTES, syncSite } from '../../lib/ops/sync.js';
import type { EmbeddedStore, Site } from '../../lib/types.js';
import { statusOf } from '../errors.js';
import { authorizeGit, type GitAccess } from './basicAuth.js';
import { openHookChannel, type HookChannel } from './hookChannel.js';
import { runHttpBackend } from './httpBackend.js';
import { requireGitHttpBackend } from './requireGit.js';

export interface GitLogger {
  info(data: object, msg: string): void;
  warn(data: object, msg: string): void;
  error(data: object, msg: string): void;
}

export interface GitRouterArgs {
  store: EmbeddedStore;
  logger?: GitLogger;
  /** Largest file a push may add (default 10 MiB). */
  maxBytes?: number;
}

const SITE_PATH = /^\/([a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,62})\.git(\/.*)?$/;
const HOOK_BODY_LIMIT = 64 * 1024;
/** Whatever this process inherited, a hook talks only to the channel this router opened. */
const NO_CHANNEL = { VERSO_HOOK_CHANNEL: '', VERSO_HOOK_SECRET: '' };

/**
 * The router to mount at `/git`, before any body parser.
 * @throws GitMissingError when the git program (git http-backend) is not installed.
 * @example
 *   app.use('/git', gitRouter({ store }));
 *   // git clone http://any:<api key>@localhost:4000/git/acme.git
 */
/** The router, and how to stop the background hook install it started (never rejects). */
export type GitRouter = express.Router & { stopHooks(): Promise<void> };

export function gitRouter(args: GitRouterArgs): GitRouter {
  requireGitHttpBackend();
  const { store } = args;
  const maxBytes = args.maxBytes ?? DEFAULT_MAX_BYTES;
  const hookToken = ensureHookToken(store.dataDir);
  const log = (req: Request): GitLogger => args.logger ?? req.log ?? { info: () => undefined, warn: () => undefined, error: () => undefined };
  const installed = new Map<string, string>();
  const installing = new Map<string, Promise<void>>();

  /** The site repository's hooks and their config, kept current (cheap when unchanged). */
  const ensureHooks = async (site: Site, force = false): Promise<void> => {
    const key = JSON.stringify([site.locales, maxBytes]);
    // One install per site at a time (the background pass and a first push may meet).
    for (let busy = installing.get(site.id); busy; busy = installing.get(site.id)) await busy.catch(() => undefined);
    if (!force && installed.get(site.id) === key) return;
    const run = installSiteHooks({ store, site: site.id, maxBytes }).then(() => void installed.set(site.id, key));
    installing.set(site.id, run);
    try {
      await run;
    } finally {
      installing.delete(site.id);
    }
  };
  // Local pushes into a site repository are checked and indexed too, not only the gateway's.
  // The pass runs in the background. Shutdown stops it between sites and waits for the install
  // under way (stopHooks): a pass still writing after close() wrote into data dirs their owners
  // were removing. It does not wait for the site list itself, which an unanswering database
  // would hold forever.
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  void store
    .listSites()
    .then(async (sites) => {
      for (const s of sites) {
        if (stopped) return;
        current = ensureHooks(s);
        await current;
      }
    })
    .catch((err: unknown) => args.logger?.warn({ err }, 'could not install git hooks in every site repository'));
  const stopHooks = async (): Promise<void> => {
    stopped = true;
    await current.catch(() => undefined);
  };

  // The pre-receive hook of a push served here asks this process to check it (hookChannel.ts),
  // instead of starting the full hook program; opened at the first push, closed at shutdown.
  // If it cannot be opened, pushes run the full hook program, as before (slower, same check).
  let channel: Promise<HookChannel | undefined> | undefined;
  const hookChannelEnv = async (req: Request): Promise<Record<string, string>> => {
    channel ??= openHookChannel({ repoDir: (s) => store.repoDir(s), onError: (err) => log(req).error({ err }, 'the hook channel failed') }).then(
      (c) => {
        const shutdown = req.app.locals.shutdown as AbortSignal | undefined;
        shutdown?.addEventListener('abort', () => c.close(), { once: true });
        return c;
      },
      (err: unknown) => {
        log(req).warn({ err }, 'could not open the hook channel; pushes run the full pre-receive program');
        channel = undefined;
        return undefined;
      },
    );
    return (await channel)?.env ?? {};
  };

  const router = express.Router();
  router.use(async (req, res, next) => {
    const m = SITE_PATH.exec(req.path);
    if (!m) return plain(res, 404, 'not a verso repository path: use /git/<site>.git\n');
    const site = m[1]!;
    const rest = m[2] ?? '/';
    // git http-backend answers 500 to these; no git path needs them.
    if (!plainSegments(rest)) return plain(res, 400, 'verso: a git path has no empty, "." or ".." segment\n');
    try {
      if (rest.startsWith('/verso/')) return await hookEndpoint(req, res, site, rest.slice('/verso/'.length));
      if (req.method !== 'GET' && req.method !== 'POST') return plain(res, 405, 'git smart HTTP uses GET and POST\n');
      const service = rest === '/info/refs' ? String(req.query.service ?? '') : rest.slice(1);
      const access: GitAccess = service === 'git-receive-pack' ? 'push' : 'fetch';
      const auth = await authorizeGit(store, req, site, access);
      if (!auth.ok) {
        if (auth.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="verso", charset="UTF-8"');
        return plain(res, auth.status, `verso: ${auth.message}\n`);
      }
      const found = await findSite(site);
      if (!found) return plain(res, 404, `verso: repository ${site}.git does not exist\n`);
      const repoDir = store.repoDir(found.id);
      const push = access === 'push';
      if (push) await ensureHooks(found);
      await runHttpBackend({
        req,
        res,
        projectRoot: dirname(repoDir),
        pathInfo: `/${found.id}.git${rest}`,
        remoteUser: auth.principal.keyId,
        // Malformed objects are refused at the door, so `git fsck --strict` stays clean.
        // Partial clones (`git clone --filter=blob:none`) get only what they ask for, and fetch
        // a missing blob later by its id, which is not a ref tip: git needs both settings.
        config: { 'receive.fsckObjects': 'true', 'uploadpack.allowFilter': 'true', 'uploadpack.allowAnySHA1InWant': 'true' },
        env: push ? { VERSO_GATEWAY_PUSH: '1', VERSO_HOOK_LOCALES: found.locales.join(','), VERSO_HOOK_MAX_BYTES: String(maxBytes), ...NO_CHANNEL, ...(req.method === 'POST' ? await hookChannelEnv(req) : {}) } : {},
        ...(push && req.method === 'POST'
          ? {
              beforeAnswer: async () => {
                try {
                  const report = await store.reconcile({ site: found.id, repair: true });
                  const indexed = report.issues.filter((i) => i.kind === 'unindexed_commit').length;
                  if (indexed) log(req).info({ site: found.id, indexed }, 'indexed pushed commits');
                } catch (err) {
                  // The push stands (refs moved); start-up reconcile or fsck --repair indexes it.
                  log(req).error({ site: found.id, err }, 'could not index a push; reconcile will');
                }
              },
            }
          : {}),
      });
    } catch (err) {
      next(err);
    }
  });

  async function findSite(site: string): Promise<Site | undefined> {
    try {
      return await store.getSite(site);
    } catch (err) {
      if (err instanceof VersoError && err.code === 'not_found') return undefined;
      throw err;
    }
  }

  async function hookEndpoint(req: Request, res: Response, site: string, action: string): Promise<void> {
    if (req.method !== 'POST') return plain(res, 405, 'POST only\n');
    const presented = req.headers[HOOK_TOKEN_HEADER];
    if (!tokenMatches(typeof presented === 'string' ? presented : undefined, hookToken)) {
      return json(res, 401, { error: { code: 'unauthorized', message: 'the hook token is missing or wrong', details: {} } });
    }
    try {
      if (action === 'index') {
        const report = await store.reconcile({ site, repair: true });
        return json(res, 200, { site, indexed: report.issues.filter((i) => i.kind === 'unindexed_commit').length });
      }
      if (action === 'install-hooks') {
        const found = await store.getSite(site);
        await ensureHooks(found, true);
        return json(res, 200, { site: found.id, gitDir: store.repoDir(found.id), installed: ['pre-receive', 'post-receive'] });
      }
      if (action === 'sync') {
        const body = await readJson(req);
        const result = await syncSite({ store, site, from: String(body.from ?? ''), branch: optional(body.branch), fromBranch: optional(body.fromBranch), maxBytes });
        return json(res, 200, result);
      }
      return json(res, 404, { error: { code: 'not_found', message: `no hook endpoint ${action}`, details: {} } });
    } catch (err) {
      if (err instanceof VersoError && statusOf(err.code) < 500) return json(res, statusOf(err.code), { error: err.toJSON() });
      log(req).error({ site, err }, `hook endpoint ${action} failed`);
      return json(res, 500, { error: { code: 'internal', message: 'internal error', details: {} } });
    }
  }

  return Object.assign(router, { stopHooks });
}

/** False when the path has an empty, `.` or `..` segment, also percent-encoded. */
function plainSegments(rest: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return false;
  }
  return [rest, decoded].every((p) => p.slice(1).split('/').every((seg, i, all) => seg !== '.' && seg !== '..' && (seg !== '' || (i === all.length - 1 && all.length === 1))));
}

function optional(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function plain(res: Response, status: number, text: string): void {
  res.status(status).type('text/plain').send(text);
}

function json(res: Response, status: number, body: unknown): void {
  res.status(status).json(body);
}

async function readJson(req: Request): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > HOOK_BODY_LIMIT) throw new ValidationError('request body is too large', {});
    chunks.push(c as Buffer);
  }
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ValidationError('request body must be a JSON object', {});
}
