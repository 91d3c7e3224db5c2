/**
 * The SSRF guard against DNS rebinding: the check and the connection use one resolver, so a
 * host name that resolves to a public address when checked and to 127.0.0.1 when the socket
 * opens is refused at connect time, for a plain fetch, for Octokit (the github kind) and for
 * isomorphic-git (the git kind). A real HTTP server listens on 127.0.0.1 and must see nothing.
 * The names (`*.rebind.test`) exist only in the test's resolver; `.test` never resolves in DNS.
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../../lib/errors/index.js';
import { createOctokit } from '../../../lib/integrations/github/client.js';
import { githubRemote } from '../../../lib/integrations/github/remote.js';
import { gitRemote } from '../../../lib/integrations/git/remote.js';
import { createRemoteGuard, type ResolvedAddress } from '../../../lib/integrations/ssrf.js';

const PUBLIC: ResolvedAddress[] = [{ address: '93.184.216.34', family: 4 }];
const LOOPBACK: ResolvedAddress[] = [{ address: '127.0.0.1', family: 4 }];

async function refused(p: Promise<unknown>): Promise<ValidationError> {
  try {
    await p;
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('SSRF guard: the address checked is the address connected to', function () {
  this.timeout(30_000);
  let server: Server;
  let port: number;
  let hits = 0;
  let workDir: string;

  /** Public on the first lookup of each name (the check), loopback on every later one (the connection). */
  function rebinding(): { resolve: (host: string) => Promise<ResolvedAddress[]>; lookups: string[] } {
    const lookups: string[] = [];
    return {
      lookups,
      resolve: async (host) => {
        const first = !lookups.includes(host);
        lookups.push(host);
        if (!host.endsWith('.rebind.test')) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
        return first ? PUBLIC : LOOPBACK;
      },
    };
  }

  before(async () => {
    server = createServer((req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ default_branch: 'main', path: req.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    workDir = await mkdtemp(join(tmpdir(), 'ssrf-'));
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(workDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    hits = 0;
  });

  it('refuses at connect time a name that turned into 127.0.0.1 after passing the check', async () => {
    const r = rebinding();
    const guard = createRemoteGuard({ allowPrivate: false, resolve: r.resolve });
    const url = `http://api.rebind.test:${port}/repos/acme/shop`;
    expect((await guard.check(url, 'url')).hostname).to.equal('api.rebind.test');
    const err = await refused(guard.fetch(url));
    expect(err.message).to.match(/api\.rebind\.test is on a loopback, link-local or private network/);
    // The check (public), then the connection (loopback): the socket never opened.
    expect(r.lookups).to.deep.equal(['api.rebind.test', 'api.rebind.test']);
    expect(hits).to.equal(0);
  });

  it('refuses a name that always resolves to loopback (a localhost alias), at the check', async () => {
    const guard = createRemoteGuard({ allowPrivate: false, resolve: async () => LOOPBACK });
    await refused(guard.check(`http://alias.rebind.test:${port}/`, 'url'));
    await refused(guard.fetch(`http://alias.rebind.test:${port}/`));
    expect(hits).to.equal(0);
  });

  it('connects through the same resolver when private remotes are allowed (it is the one in use)', async () => {
    const guard = createRemoteGuard({ allowPrivate: true, resolve: async () => LOOPBACK });
    const res = await guard.fetch(`http://anything.rebind.test:${port}/hello`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ default_branch: 'main', path: '/hello' });
    expect(res.url).to.equal(`http://anything.rebind.test:${port}/hello`);
    expect(hits).to.equal(1);
  });

  it('refuses the rebound name for the github kind (Octokit) and the git kind (isomorphic-git)', async () => {
    const gh = createRemoteGuard({ allowPrivate: false, resolve: rebinding().resolve });
    const octokit = createOctokit({ baseUrl: `http://gh.rebind.test:${port}`, fetch: gh.fetch, log: { warn: () => undefined }, retryAfterBaseValue: 1 });
    const ghErr = await refused(githubRemote({ octokit, repository: 'acme/shop', secrets: {} }).defaultBranch());
    expect(ghErr.message).to.match(/gh\.rebind\.test is on a loopback/);

    const g = createRemoteGuard({ allowPrivate: false, resolve: rebinding().resolve });
    const remote = gitRemote({ url: `http://git.rebind.test:${port}/repo.git`, workDir: join(workDir, 'git.git'), secrets: {}, fetch: g.fetch });
    const gitErr = await refused(remote.defaultBranch());
    expect(gitErr.message).to.match(/git\.rebind\.test is on a loopback/);
    expect(hits).to.equal(0);
  });
});
