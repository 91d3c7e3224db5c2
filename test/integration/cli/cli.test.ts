/**
 * The `verso` CLI end to end: real child processes on one temporary store. `serve` runs first
 * (the store is new, so it seeds the demo site), read commands run against it with --remote,
 * then the embedded commands run one after another (the embedded store admits one process).
 * Runs on PGlite, or on PostgreSQL when VERSO_TEST_DB=postgres.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { startServe, verso, type CliResult } from './harness.js';

interface JsonVersion {
  number: number;
  commit: string;
  kind: string;
  isCurrentDraft: boolean;
  isCurrentPublished: boolean;
  content?: unknown;
}

function json<T>(r: CliResult): T {
  expect(r.code, `exit code (stderr: ${r.stderr})`).to.equal(0);
  return JSON.parse(r.stdout) as T;
}

function ok(r: CliResult): string {
  expect(r.code, `exit code (stderr: ${r.stderr})`).to.equal(0);
  return r.stdout;
}

describe('verso CLI', function () {
  this.timeout(120_000);
  // The CLI is a thin edge; one database is enough (the conformance suite covers both).
  const target = databaseTargets().includes('pglite') ? 'pglite' : 'postgres';
  let db: TestDatabase;
  let local: string[];

  before(async () => {
    db = await freshDatabase(target);
    local = ['--data-dir', db.dataDir, ...(db.databaseUrl ? ['--database-url', db.databaseUrl] : [])];
  });
  after(async () => db?.cleanup());

  describe('serve', () => {
    it('seeds the demo on first start, answers /healthz and --remote commands, stops on SIGTERM', async function () {
      this.timeout(150_000);
      const server = await startServe([...local, '--port', '0'], { timeoutMs: 120_000 });
      try {
        expect(server.banner).to.include(`${server.url}/ui`);
        expect(server.banner).to.include('created the demo site "demo"');
        const adminKey = /Admin key \(shown once, store it now\): (vk_\S+)/.exec(server.banner)?.[1];
        expect(adminKey, server.banner).to.be.a('string');

        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).to.equal(200);
        expect(await health.json()).to.deep.equal({ status: 'ok' });

        const remote = ['--remote', server.url, '--api-key', adminKey!];
        const [sites, logText, showOne, showDraft, fields, words, refused, savedRemote] = await Promise.all([
          verso(['site', 'list', '--json', ...remote]),
          verso(['log', 'demo', 'page/home/en', ...remote]),
          verso(['show', 'demo', 'page/home/en', '1', ...remote]),
          verso(['show', 'demo', 'page/home/en', 'draft', ...remote]),
          verso(['diff', 'demo', 'page/home/en', 'published', 'draft', '--format', 'json', ...remote]),
          verso(['diff', 'demo', 'prd/search/en', '1', '2', '--format', 'words', ...remote]),
          verso(['reindex', ...remote]),
          verso(['save', 'demo', 'note/remote', '--format', 'text', '-m', 'over HTTP', ...remote], { input: 'hello over http\n' }),
        ]);

        const demo = json<{ items: Array<{ id: string; locales: string[] }> }>(sites).items.find((s) => s.id === 'demo');
        expect(demo?.locales).to.deep.equal(['en', 'fr']);
        // log: aligned columns, newest first, markers on the current draft (3) and published (2).
        const rows = ok(logText).trimEnd().split('\n');
        expect(rows[0]).to.match(/^#\s+COMMIT\s+KIND\s+SOURCE\s+AUTHOR\s+AGE\s+PUBLISHED\s+MESSAGE$/);
        // PUBLISHED: when the version was published (its publish commit), '-' when never.
        expect(rows[1]).to.match(/\s-\s+Add the pricing section/);
        expect(rows[2]).to.match(/(?:just now|ago)\s+(?:just now|\d+ \w+ ago)\s+Sharper headline/);
        expect(rows.slice(1).map((l) => l.trim().split(/\s+/)[0])).to.deep.equal(['3', '2', '1']);
        expect(rows[1]).to.match(/Add the pricing section\s+draft$/);
        expect(rows[2]).to.match(/Grace Hopper .*published$/);
        expect(rows[1]!.indexOf('user')).to.equal(rows[3]!.indexOf('user'));
        expect(JSON.parse(ok(showOne))).to.have.nested.property('hero.cta', 'Get started');
        expect(JSON.parse(ok(showDraft)).sections).to.deep.equal(['features', 'testimonials', 'pricing']);
        expect(ok(fields)).to.equal('+ sections[2]: "pricing"\n');
        expect(ok(words)).to.include('{+\n## Scope');
        expect(refused.code).to.equal(2);
        expect(refused.stderr).to.match(/^error: reindex works on the embedded store only.*\(invalid_input\)\n$/);
        expect(ok(savedRemote)).to.match(/^saved demo note\/remote\/en version 1 \([0-9a-f]{7}\) on main \[draft\]$/m);
      } finally {
        server.child.kill('SIGTERM');
      }
      expect(await server.exited).to.equal(0);
      expect(server.stderr()).to.include('verso: stopped');
    });
  });

  describe('embedded commands', () => {
    let commits: string[] = [];

    it('site create, then save from --file and from stdin', async () => {
      const site = json<{ id: string; locales: string[]; defaultLocale: string }>(await verso(['site', 'create', 'acme', '--name', 'Acme', '--locales', 'en,fr', '--json', ...local]));
      expect(site).to.include({ id: 'acme', defaultLocale: 'en' });
      expect(site.locales).to.deep.equal(['en', 'fr']);

      const file = join(db.dataDir, 'home.json');
      await writeFile(file, JSON.stringify({ title: 'Hello', body: 'First' }));
      const fromFile = ok(await verso(['save', 'acme', 'page/home', '--file', file, '-m', 'First draft', '--author', 'Ann Lee', '--email', 'ann@acme.test', ...local]));
      expect(fromFile).to.match(/^saved acme page\/home\/en version 1 \([0-9a-f]{7}\) on main \[draft\]\n$/);

      const fromStdin = json<JsonVersion & { author: { name: string } }>(
        await verso(['save', 'acme', 'page/home/en', '-m', 'Second', '--json', ...local], { input: '{"title":"Hello, world","body":"First"}' }),
      );
      expect(fromStdin).to.include({ number: 2, kind: 'draft', isCurrentDraft: true });
      expect(fromStdin.author.name).to.equal('verso');
    });

    it('log --json pages, show by number, draft and commit hash', async () => {
      const page = json<{ items: JsonVersion[]; next?: string }>(await verso(['log', 'acme', 'page/home/en', '--limit', '1', '--json', ...local]));
      expect(page.items.map((v) => v.number)).to.deep.equal([2]);
      expect(page.next).to.be.a('string');
      const rest = json<{ items: JsonVersion[]; next?: string }>(await verso(['log', 'acme', 'page/home/en', '--cursor', page.next!, '--json', ...local]));
      expect(rest.items.map((v) => v.number)).to.deep.equal([1]);
      commits = [rest.items[0]!.commit, page.items[0]!.commit];

      expect(JSON.parse(ok(await verso(['show', 'acme', 'page/home/en', '1', ...local])))).to.deep.equal({ title: 'Hello', body: 'First' });
      const byHash = json<JsonVersion>(await verso(['show', 'acme', 'page/home/en', commits[1]!.slice(0, 8), '--json', ...local]));
      expect(byHash).to.include({ number: 2, isCurrentDraft: true });
      expect(byHash.content).to.deep.equal({ title: 'Hello, world', body: 'First' });
    });

    it('diff prints a unified diff', async () => {
      const out = ok(await verso(['diff', 'acme', 'page/home/en', '1', 'draft', ...local]));
      expect(out).to.include('--- a/page/home/en.json\tversion 1');
      expect(out).to.match(/^-  "title": "Hello"$/m);
      expect(out).to.match(/^\+  "title": "Hello, world"$/m);
    });

    it('publish, then rollback --publish makes a new published version', async () => {
      expect(ok(await verso(['publish', 'acme', 'page/home/en', '1', ...local]))).to.match(/^published acme page\/home\/en version 1 .*\[published\]$/m);
      const rolled = json<JsonVersion>(await verso(['rollback', 'acme', 'page/home/en', '2', '--publish', '-m', 'Back to 2', '--json', ...local]));
      expect(rolled).to.include({ number: 3, kind: 'rollback', isCurrentDraft: true, isCurrentPublished: true });
    });

    it('fsck is clean and reindex rebuilds the same history', async () => {
      const fsck = json<{ ok: boolean; issues: unknown[] }>(await verso(['fsck', '--json', ...local]));
      expect(fsck).to.deep.equal({ ok: true, issues: [] });
      const reindex = ok(await verso(['reindex', 'acme', ...local]));
      expect(reindex).to.equal('reindexed 3 versions of 1 documents (sites acme)\n');
      const log = ok(await verso(['log', 'acme', 'page/home/en', ...local]));
      expect(log).to.match(/^\s*3\s.*rollback.*Back to 2\s+draft published$/m);
    });

    it('fsck reports a commit git made behind verso\'s back (exit 1); --repair indexes it', async () => {
      commitWithGit(join(db.dataDir, 'repos', 'acme.git'), 'page/home/en.json', '{\n  "body": "By git",\n  "title": "Hello"\n}\n');
      const found = await verso(['fsck', '--json', ...local]);
      expect(found.code).to.equal(1);
      const report = JSON.parse(found.stdout) as { ok: boolean; issues: Array<{ site: string; kind: string; repaired: boolean }> };
      expect(report.ok).to.equal(false);
      expect(report.issues).to.deep.include({ ...report.issues[0]!, site: 'acme', kind: 'unindexed_commit', repaired: false });
      const repaired = json<{ ok: boolean; issues: Array<{ kind: string; repaired: boolean }> }>(await verso(['fsck', '--repair', '--json', ...local]));
      expect(repaired.ok).to.equal(true);
      expect(repaired.issues.filter((i) => i.kind === 'unindexed_commit').map((i) => i.repaired)).to.deep.equal([true]);
    });

    it('refuses bad input with exit 2 and invalid_input, without a stack trace', async () => {
      const badSlug = await verso(['save', 'acme', 'Page/home', '--json', ...local], { input: '{}' });
      expect(badSlug.code).to.equal(2);
      const { error } = JSON.parse(badSlug.stdout) as { error: { code: string; message: string; details: { field?: string } } };
      expect(error.code).to.equal('invalid_input');
      expect(error.details.field).to.equal('type');
      expect(error.message).to.match(/^type must be a slug/);
      expect(badSlug.stderr).to.equal('');

      const badAddress = await verso(['show', 'acme', 'page', '1', ...local]);
      expect(badAddress.code).to.equal(2);
      expect(badAddress.stderr).to.match(/^error: a document is TYPE\/KEY or TYPE\/KEY\/LOCALE .*\(invalid_input\)\n$/);
      expect(badAddress.stderr).not.to.include('    at ');
    });
  });
});

/** A commit on main made with git plumbing only, as a push or a hand edit would leave it. */
function commitWithGit(gitDir: string, path: string, content: string): void {
  const env = {
    ...process.env,
    GIT_DIR: gitDir,
    GIT_INDEX_FILE: join(gitDir, 'cli-test-index'),
    GIT_AUTHOR_NAME: 'Git User',
    GIT_AUTHOR_EMAIL: 'git@acme.test',
    GIT_COMMITTER_NAME: 'Git User',
    GIT_COMMITTER_EMAIL: 'git@acme.test',
  };
  const git = (args: string[], input?: string) => execFileSync('git', args, { env, input, encoding: 'utf8' }).trim();
  const parent = git(['rev-parse', 'refs/heads/main']);
  git(['read-tree', parent]);
  const blob = git(['hash-object', '-w', '--stdin'], content);
  git(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`]);
  const tree = git(['write-tree']);
  const commit = git(['commit-tree', tree, '-p', parent, '-m', 'Edit with git']);
  git(['update-ref', 'refs/heads/main', commit, parent]);
}
