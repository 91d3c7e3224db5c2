/**
 * What a new user meets first on the command line (issue 13): the CLI beside a running
 * `verso serve`, JSON typed on stdin, --json that is always JSON, closed pipes, refusals that
 * leave nothing behind, and a start banner whose CLI command runs in a checkout.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { cleanEnv, repoRoot, startServe, verso, type CliResult } from './harness.js';

function json<T>(r: CliResult): T {
  expect(r.code, `exit code (stdout: ${r.stdout} stderr: ${r.stderr})`).to.equal(0);
  return JSON.parse(r.stdout) as T;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Runs a shell pipeline in the checkout (`verso` = the CLI through tsx). */
function shell(script: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn('bash', ['-c', `set -o pipefail; verso() { node --import tsx lib/cli/main.ts "$@"; }; ${script}`], { cwd: repoRoot, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end();
  });
}

for (const target of databaseTargets()) {
  describe(`the CLI for a newcomer (${target})`, function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let local: string[];

    beforeEach(async () => {
      db = await freshDatabase(target);
      local = ['--data-dir', db.dataDir, ...(db.databaseUrl ? ['--database-url', db.databaseUrl] : [])];
    });
    afterEach(async () => db?.cleanup());

    it('runs the tour\'s commands while verso serve owns the data dir, without --remote (item 1)', async () => {
      const server = await startServe([...local, '--port', '0', '--no-demo'], { timeoutMs: 120_000 });
      try {
        const site = json<{ id: string }>(await verso(['site', 'create', 'acme', '--name', 'Acme', '--json', ...local]));
        expect(site.id).to.equal('acme');
        const saved = json<{ number: number }>(await verso(['save', 'acme', 'post/hello/en', '-m', 'First', '--json', ...local], { input: '{"title":"Hello"}\n' }));
        expect(saved.number).to.equal(1);
        // The server saw the save at once: it went through the server, not around it.
        const res = await fetch(`${server.url}/readyz`);
        expect(res.status).to.equal(200);
        if (target === 'pglite') {
          const mode = (await stat(join(db.dataDir, 'cli-key'))).mode & 0o777;
          expect(mode.toString(8)).to.equal('600');
          const keys = json<{ items: Array<{ name?: string; role: string }> }>(await verso(['keys', 'list', '--json', ...local])).items;
          expect(keys.some((k) => k.name === 'local CLI (data dir cli-key)' && k.role === 'admin')).to.equal(true);
          // Commands that need the database itself say what to do, not "open in another process".
          const fsck = await verso(['fsck', ...local]);
          expect(fsck.code).to.equal(1);
          expect(fsck.stderr).to.match(/fsck needs the data dir to itself, and verso serve \(pid \d+, http:\/\/127\.0\.0\.1:\d+\) has it open: stop the server/);
          expect(fsck.stderr).not.to.include('open in another process');
        }
      } finally {
        server.child.kill('SIGTERM');
      }
      expect(await server.exited).to.equal(0);
      // Stopped: the same command opens the data dir itself again.
      const log = json<{ items: Array<{ number: number }> }>(await verso(['log', 'acme', 'post/hello/en', '--json', ...local]));
      expect(log.items.map((v) => v.number)).to.deep.equal([1]);
    });

    it('a revoked cli-key is replaced on the next start (item 1)', async () => {
      const first = await startServe([...local, '--port', '0', '--no-demo'], { timeoutMs: 120_000 });
      // The key works before it is revoked (and the server is past its start-up work: a SIGTERM
      // during it can end the process by a signal, a shutdown bug noted in the report).
      expect(json<{ items: unknown[] }>(await verso(['site', 'list', '--json', ...local])).items).to.deep.equal([]);
      first.child.kill('SIGTERM');
      expect(await first.exited).to.equal(0);
      const key1 = await readFile(join(db.dataDir, 'cli-key'), 'utf8');
      const keys = json<{ items: Array<{ id: string; name?: string }> }>(await verso(['keys', 'list', '--json', ...local])).items;
      const id = keys.find((k) => k.name === 'local CLI (data dir cli-key)')?.id;
      expect(id, JSON.stringify(keys)).to.be.a('string');
      expect((await verso(['keys', 'revoke', id!, ...local])).code).to.equal(0);
      const second = await startServe([...local, '--port', '0', '--no-demo'], { timeoutMs: 120_000 });
      try {
        const key2 = await readFile(join(db.dataDir, 'cli-key'), 'utf8');
        expect(key2).not.to.equal(key1);
        expect(json<{ items: unknown[] }>(await verso(['site', 'list', '--json', ...local])).items).to.deep.equal([]);
      } finally {
        second.child.kill('SIGTERM');
      }
      expect(await second.exited).to.equal(0);
    });

    it('stores JSON typed on stdin as a json document without --format (item 2)', async () => {
      json(await verso(['site', 'create', 'acme', '--name', 'Acme', '--json', ...local]));
      json(await verso(['save', 'acme', 'post/hello/en', '-m', 'First', '--json', ...local], { input: '{"title":"Hello","body":"First draft"}\n' }));
      json(await verso(['save', 'acme', 'post/hello/en', '-m', 'Second', '--json', ...local], { input: '{"title":"Hello","body":"Second draft"}\n' }));
      const diff = json<{ fields?: Array<{ path: string }> }>(await verso(['diff', 'acme', 'post/hello/en', '1', '2', '--format', 'json', '--json', ...local]));
      expect(diff.fields?.map((f) => f.path)).to.deep.equal(['body']);
      const note = json<{ content: unknown }>(await verso(['save', 'acme', 'note/plain/en', '--json', ...local], { input: '{"not json' }));
      expect(note).to.have.property('number', 1);
      const shown = await verso(['show', 'acme', 'note/plain/en', '1', ...local]);
      expect(shown.stdout).to.equal('{"not json\n');
    });

    it('--json stays JSON when the database cannot be reached (item 5)', async () => {
      const r = await verso(['site', 'list', '--json', '--data-dir', join(db.dataDir, 'unused'), '--database-url', 'postgres://nobody@127.0.0.1:1/none']);
      expect(r.code).to.equal(1);
      const doc = JSON.parse(r.stdout) as { error: { code: string; message: string; details: { reason?: string } } };
      expect(doc.error.code).to.equal('unavailable');
      expect(doc.error.details.reason).to.equal('database_unreachable');
      expect(r.stdout).not.to.include('    at ');
    });

    it('stops quietly when the reader of its output goes away (item 5)', async () => {
      json(await verso(['site', 'create', 'acme', '--name', 'Acme', '--json', ...local]));
      for (let i = 1; i <= 3; i++) json(await verso(['save', 'acme', 'post/hello/en', '-m', `v${i}`, '--json', ...local], { input: `{"title":"v${i}"}` }));
      const dir = local.map((a) => `'${a}'`).join(' ');
      const help = await shell('verso --help | head -1');
      expect(help.stdout).to.equal('Usage: verso [options] [command]\n');
      expect(help.stderr).to.equal('');
      expect(help.code).to.equal(0);
      const log = await shell(`verso log acme post/hello/en --json ${dir} | head -1`);
      expect(log.stdout).to.equal('{\n');
      expect(log.stderr).to.equal('');
      expect(log.code).to.equal(0);
    });

    it('`npm run -s verso -- … --json` prints only the JSON document (item 5)', async () => {
      const r = await new Promise<CliResult>((done, fail) => {
        const child = spawn('npm', ['run', '-s', 'verso', '--', 'site', 'list', '--json', ...local], { cwd: repoRoot, env: cleanEnv() });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
        child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
        child.on('error', fail);
        child.on('close', (code) => done({ code, stdout, stderr }));
        child.stdin.end();
      });
      expect(r.code, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout)).to.deep.equal({ items: [] });
    });

    it('hooks install refuses VERSO_REMOTE instead of ignoring it (item 6)', async () => {
      const r = await verso(['hooks', 'install', 'acme'], { env: { VERSO_REMOTE: 'http://127.0.0.1:9', VERSO_API_KEY: 'x'.repeat(20) } });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/^error: hooks install works on the local data dir only; drop --remote \(and VERSO_REMOTE\)/);
    });

    it('a refused restore leaves no data dir behind (item 6)', async () => {
      const fresh = join(db.dataDir, 'fresh');
      const r = await verso(['restore', '--from', join(db.dataDir, 'no-such-backup'), '--data-dir', fresh, ...(db.databaseUrl ? ['--database-url', db.databaseUrl] : [])]);
      expect(r.code, r.stderr).to.not.equal(0);
      expect(await exists(fresh)).to.equal(false);
    });

    it('serve on a busy port leaves no data dir behind (item 6)', async () => {
      const busy: Server = createServer();
      await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
      const port = (busy.address() as { port: number }).port;
      try {
        const fresh = join(db.dataDir, 'fresh');
        const r = await verso(['serve', '--port', String(port), '--data-dir', fresh, ...(db.databaseUrl ? ['--database-url', db.databaseUrl] : [])]);
        expect(r.code).to.equal(1);
        expect(r.stderr).to.include(`port ${port} on 127.0.0.1 is in use`);
        expect(await exists(fresh)).to.equal(false);
      } finally {
        busy.close();
      }
    });

    it('the start banner prints a CLI command that runs in a checkout (item 6)', async () => {
      const server = await startServe([...local, '--port', '0'], { env: { npm_lifecycle_event: 'start' }, timeoutMs: 120_000 });
      try {
        const hint = /CLI: in another terminal, (npm run -s verso -- --data-dir \/\S+ site list)/.exec(server.banner)?.[1];
        expect(hint, server.banner).to.be.a('string');
        expect(server.banner).not.to.match(/\bverso site list/);
        // The printed command works as printed, in the checkout, and reaches this server.
        const r = await shell(`${hint!.replace('npm run -s verso --', 'verso')}${db.databaseUrl ? ` --database-url '${db.databaseUrl}'` : ''} --json`);
        expect(r.code, r.stderr).to.equal(0);
        expect((JSON.parse(r.stdout) as { items: Array<{ id: string }> }).items.map((s) => s.id)).to.deep.equal(['demo']);
      } finally {
        server.child.kill('SIGTERM');
      }
      expect(await server.exited).to.equal(0);
    });
  });
}
