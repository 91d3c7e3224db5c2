/**
 * README.md's "Five-minute tour", followed literally: its code blocks are read from the README
 * and run, in order, in a fresh checkout-like directory (symlinks to this checkout's sources and
 * node_modules, nothing else, so `.verso` is new), once with `npm start` running as the tour
 * says and once with no server. What the test changes in the README's text, and why:
 * - `npm start` gets `-- --port 0`, and `127.0.0.1:4000` becomes the address the server printed,
 *   so parallel test runs never fight over port 4000;
 * - `<key>` becomes the admin key the start banner printed (the reader copies it by hand).
 * The tour is defined on the embedded default (PGlite in ./.verso): a PostgreSQL run would
 * change the steps it documents, so this suite runs on PGlite only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { cleanEnv, repoRoot } from '../integration/cli/harness.js';

interface Block {
  lang: string;
  code: string;
}

/** The fenced code blocks of the README section `## <title>`, in order. */
export function readmeBlocks(readme: string, title: string): Block[] {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `README has a "## ${title}" section`).to.be.greaterThan(-1);
  const next = readme.indexOf('\n## ', start + 4);
  const section = readme.slice(start, next === -1 ? undefined : next);
  return [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, code: m[2]! }));
}

const LINKED = ['package.json', 'package-lock.json', 'tsconfig.json', 'lib', 'gateway', 'hooks', 'migrations', 'bin', 'node_modules'];

/** A directory that looks like a fresh clone after `npm install`: no .verso, no dist. */
async function freshCheckout(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'verso-tour-'));
  for (const name of LINKED) await symlink(join(repoRoot, name), join(dir, name));
  return dir;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Tour Reader',
  GIT_AUTHOR_EMAIL: 'reader@example.com',
  GIT_COMMITTER_NAME: 'Tour Reader',
  GIT_COMMITTER_EMAIL: 'reader@example.com',
  GIT_TERMINAL_PROMPT: '0',
  GIT_CONFIG_NOSYSTEM: '1',
};

function runIn(cwd: string, command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: cleanEnv({ ...GIT_IDENTITY, HOME: cwd, ...env }) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end();
  });
}

/** Runs a shell block as one script (a `cd` carries to the next line), stopping at the first failure. */
async function shell(cwd: string, code: string, env: Record<string, string> = {}): Promise<string> {
  const r = await runIn(cwd, 'bash', ['-e', '-o', 'pipefail', '-c', code], env);
  expect(r.code, `block failed:\n${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).to.equal(0);
  return r.stdout;
}

/** Saves a TypeScript block as tour.ts in the checkout and runs `npx tsx tour.ts`, as the README says. */
async function typescript(cwd: string, code: string, env: Record<string, string> = {}): Promise<string> {
  await writeFile(join(cwd, 'tour.ts'), code);
  const r = await runIn(cwd, 'npx', ['tsx', 'tour.ts'], env);
  expect(r.code, `tour.ts failed:\n${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).to.equal(0);
  return r.stdout;
}

interface Server {
  child: ChildProcess;
  url: string;
  adminKey: string;
  exited: Promise<number | null>;
}

/** `npm start` in its own process group, as in a terminal; resolves once the banner is out. */
function npmStart(cwd: string, block: string): Promise<Server> {
  const line = block.trim();
  expect(line, 'the tour starts the server with `npm start`').to.equal('npm start');
  const child = spawn('bash', ['-c', `${line} -- --port 0`], { cwd, env: cleanEnv({ HOME: cwd }), detached: true });
  child.stdin?.end();
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`npm start printed no banner\n${out}\n${err}`)), 150_000);
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const url = /verso is serving (http:\/\/\S+)/.exec(out)?.[1];
      const adminKey = /Admin key \(shown once, store it now\): (\S+)/.exec(out)?.[1];
      if (url && adminKey && out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        // The banner's CLI hint is a command that works in this checkout.
        expect(out).to.include('npm run -s verso -- site list');
        done({ child, url, adminKey, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`npm start exited with ${code}\n${out}\n${err}`));
    });
  });
}

/** Ctrl+C in the server's terminal: SIGINT to its whole process group. */
async function stop(server: Server): Promise<void> {
  process.kill(-server.child.pid!, 'SIGINT');
  expect(await server.exited).to.be.oneOf([0, 130, null]);
}

function checkCliOutput(out: string): void {
  // log: two versions, newest first; diff: the body line changed; git: publish commits exist.
  expect(out).to.match(/^\s*2\s+[0-9a-f]{7}\s+draft\b.*Tighten/m);
  expect(out).to.match(/^\s*1\s+[0-9a-f]{7}\s+draft\b.*First draft/m);
  expect(out).to.include('-  "body": "First draft",');
  expect(out).to.include('+  "body": "Second draft",');
  expect(out).to.match(/^published acme post\/hello\/en version 2 /m);
  expect(out).to.match(/^[0-9a-f]{7,} .*Publish/m);
}

describe("README's five-minute tour, followed literally", function () {
  this.timeout(900_000);
  let blocks: Block[];
  const dirs: string[] = [];

  before(async () => {
    blocks = readmeBlocks(await readFile(join(repoRoot, 'README.md'), 'utf8'), 'Five-minute tour');
    expect(blocks.map((b) => b.lang)).to.deep.equal(['sh', 'sh', 'sh', 'ts', 'ts']);
  });
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('with `npm start` running: the CLI, git clone and push, connect(), then openStore() once it is stopped', async () => {
    const [start, cli, git, remote, embedded] = blocks as [Block, Block, Block, Block, Block];
    const dir = await freshCheckout();
    dirs.push(dir);
    const server = await npmStart(dir, start.code);
    const address = new URL(server.url).host;
    try {
      checkCliOutput(await shell(dir, cli.code));
      await shell(dir, git.code.replaceAll('<key>', server.adminKey).replaceAll('127.0.0.1:4000', address));
      const about = await fetch(`${server.url}/v1/sites/demo/docs/page/about/en/versions`, { headers: { authorization: `Bearer ${server.adminKey}` } });
      expect(about.status).to.equal(200);
      const log = (await about.json()) as { items: Array<{ source: string; message: string }> };
      expect(log.items.map((v) => [v.source, v.message])).to.deep.equal([['git', 'About page']]);
      const sites = await typescript(dir, remote.code.replaceAll('127.0.0.1:4000', address), { VERSO_API_KEY: server.adminKey });
      expect(sites).to.match(/'acme'/).and.to.match(/'demo'/);
      // What the README warns about: openStore() while the server holds the data dir.
      await writeFile(join(dir, 'tour.ts'), embedded.code);
      const locked = await runIn(dir, 'npx', ['tsx', 'tour.ts']);
      expect(locked.code).to.not.equal(0);
      expect(locked.stderr).to.include('the embedded database in this data dir is open in another process');
    } finally {
      await stop(server);
    }
    expect(await typescript(dir, embedded.code)).to.equal('saved and published version 3\n');
  });

  it('with no server: the CLI opens .verso itself, then openStore()', async () => {
    const [, cli, , , embedded] = blocks as [Block, Block, Block, Block, Block];
    const dir = await freshCheckout();
    dirs.push(dir);
    checkCliOutput(await shell(dir, cli.code));
    expect(await typescript(dir, embedded.code)).to.equal('saved and published version 3\n');
  });
});
