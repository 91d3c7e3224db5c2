/**
 * Integrations: documents pushed to external repositories (GitHub through the Git Data API,
 * any Git remote through smart HTTP). `openRemote` picks the implementation for an integration;
 * everything an operation needs (SSRF guard, secret box, Octokit settings) is built per store.
 */
import { join } from 'node:path';
import type { Logger } from '../ops/context.js';
import { createOctokit } from './github/client.js';
import { githubRemote } from './github/remote.js';
import { gitRemote } from './git/remote.js';
import { createRemoteGuard, type RemoteGuard } from './ssrf.js';
import { createSecretBox, type SecretBox } from './secrets.js';
import type { IntegrationConfig, IntegrationRemote, IntegrationSecrets } from './types.js';

export type { IntegrationConfig, IntegrationRemote, IntegrationSecrets } from './types.js';
export { redact } from './types.js';
export { DEFAULT_PATH_TEMPLATE, checkPath, expandPath, parsePathTemplate } from './pathTemplate.js';

export const DEFAULT_GITHUB_API = 'https://api.github.com';

export interface IntegrationDeps {
  secrets: SecretBox;
  /** Read per call: tests and operators flip VERSO_ALLOW_PRIVATE_REMOTES without a restart. */
  guard(): RemoteGuard;
  /** Milliseconds per second of GitHub's retry-after (VERSO_GITHUB_RETRY_BASE_MS; default 1000). */
  retryAfterBaseValue?: number;
  log: Logger;
  dataDir: string;
}

export function createIntegrationDeps(a: { dataDir: string; log: Logger; env?: NodeJS.ProcessEnv }): IntegrationDeps {
  const env = a.env ?? process.env;
  const base = env.VERSO_GITHUB_RETRY_BASE_MS ? Number(env.VERSO_GITHUB_RETRY_BASE_MS) : undefined;
  // One guard per setting of the switch, so its agents keep their connections alive across calls.
  const guards = new Map<boolean, RemoteGuard>();
  const guardFor = (allowPrivate: boolean): RemoteGuard => {
    let g = guards.get(allowPrivate);
    if (!g) guards.set(allowPrivate, (g = createRemoteGuard({ allowPrivate })));
    return g;
  };
  return {
    secrets: createSecretBox({ envKey: env.VERSO_SECRET_KEY || undefined, dataDir: a.dataDir, log: a.log }),
    guard: () => guardFor((a.env ?? process.env).VERSO_ALLOW_PRIVATE_REMOTES === '1'),
    ...(base !== undefined && Number.isFinite(base) && base >= 0 ? { retryAfterBaseValue: base } : {}),
    log: a.log,
    dataDir: a.dataDir,
  };
}

export function openRemote(deps: IntegrationDeps, a: { siteId: string; integrationId: string; config: IntegrationConfig; secrets: IntegrationSecrets }): IntegrationRemote {
  const guard = deps.guard();
  if (a.config.kind === 'github') {
    const octokit = createOctokit({
      token: a.secrets.token,
      baseUrl: a.config.baseUrl ?? DEFAULT_GITHUB_API,
      fetch: guard.fetch,
      log: deps.log,
      ...(deps.retryAfterBaseValue === undefined ? {} : { retryAfterBaseValue: deps.retryAfterBaseValue }),
    });
    return githubRemote({ octokit, repository: a.config.repository!, secrets: a.secrets });
  }
  return gitRemote({
    url: a.config.url!,
    workDir: join(deps.dataDir, 'integrations', a.siteId, `${a.integrationId}.git`),
    ...(a.config.username ? { username: a.config.username } : {}),
    secrets: a.secrets,
    fetch: guard.fetch,
  });
}
