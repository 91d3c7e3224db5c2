/**
 * verso's hooks outside the gateway: a push straight into a site repository (a path, not
 * HTTP) is checked by pre-receive and indexed by post-receive, through the running server
 * when there is one and with the store opened by the hook when there is none; a working
 * clone's post-commit syncs each commit into the site. `verso hooks install` and
 * `verso sync` through the real CLI.
 */
import { expect } from 'chai';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { installSiteHooks } from '../../../hooks/install.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import { gitFsckStrict, git as gitDir } from '../../helpers/gitCli.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { verso } from '../cli/harness.js';
import { GRACE, put, run, startGitGateway, tryGit, type GitGateway } from '../../e2e/git/harness.js';

describeEachDatabase('git hooks in site repositories and working clones', function (target) {
  this.timeout(180_000);
  let g: GitGateway;
  beforeEach(async () => {
    g = await startGitGateway(target);
    await g.store.site('acme').doc('page', 'home').save({ content: { title: 'Home' } });
  });
  afterEach(async () => g.stop());

  it('the gateway installed pre-receive and post-receive shims and the hook config in every site repository', async () => {
    // Installed in the background when the router was built: wait for it.
    const repo = g.store.repoDir('acme');
    for (let i = 0; i < 100 && !(await stat(join(repo, 'verso-hooks.json')).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 50));
    const shim = await readFile(join(repo, 'hooks', 'pre-receive'), 'utf8');
    expect(shim).to.match(/^#!\/bin\/sh\n# installed by verso/);
    expect(shim).to.include('pre-receive');
    expect((await stat(join(repo, 'hooks', 'pre-receive'))).mode & 0o111).to.not.equal(0);
    const config = JSON.parse(await readFile(join(repo, 'verso-hooks.json'), 'utf8'));
    expect(config).to.deep.include({ site: 'acme', locales: ['en', 'fr'], maxBytes: 10 * 1024 * 1024 });
    // The hook opens the store's own index (embedded, or the server's database), whatever
    // DATABASE_URL the pusher has.
    if (target === 'pglite') expect(config).to.not.have.property('databaseUrl');
    else expect(config).to.have.property('databaseUrl', g.db.databaseUrl);
    expect(gitDir(repo, 'config', 'receive.fsckObjects').trim()).to.equal('true');
  });

  it('a local push is refused by pre-receive, or indexed by post-receive through the running server', async () => {
    const repo = g.store.repoDir('acme');
    await installSiteHooks({ store: g.store, site: 'acme' });
    await run(g.work, ['clone', '-q', repo, 'c']);
    const c = join(g.work, 'c');
    await put(c, 'notes.txt', 'not a document\n');
    await run(c, ['add', '-A']);
    await run(c, ['commit', '-qm', 'Stray file'], GRACE);
    const refused = await tryGit(c, ['push', 'origin', 'main']);
    expect(refused.status).to.not.equal(0);
    expect(refused.stderr).to.include('notes.txt').and.include('outside the document layout');

    await run(c, ['reset', '-q', '--hard', 'origin/main']);
    await put(c, 'page/home/en.json', '{"title":"Home, pushed locally"}\n');
    await run(c, ['commit', '-qam', 'Local push'], GRACE);
    const pushed = await tryGit(c, ['push', 'origin', 'main']);
    expect(pushed.status, pushed.stderr).to.equal(0);
    expect(pushed.stderr).to.include('verso: indexed 1 commit(s) of site acme');
    const log = (await g.store.site('acme').doc('page', 'home').log()).items;
    expect(log[0]).to.include({ number: 2, source: 'git', message: 'Local push' });
  });

  it('with no server, post-receive opens the store itself; a failure to index loses nothing', async () => {
    const repo = g.store.repoDir('acme');
    await installSiteHooks({ store: g.store, site: 'acme' });
    await run(g.work, ['clone', '-q', repo, 'c']);
    const c = join(g.work, 'c');

    // The server is up but not announced. Embedded, it holds the database: the hook cannot
    // index, says so, and the push stands. PostgreSQL is shared: the hook indexes it itself.
    await (await import('node:fs/promises')).rm(join(g.store.dataDir, 'server.json'));
    await put(c, 'page/home/en.json', '{"title":"one"}\n');
    await run(c, ['commit', '-qam', 'While the database is held'], GRACE);
    const held = await tryGit(c, ['push', 'origin', 'main']);
    expect(held.status, held.stderr).to.equal(0);
    expect(held.stderr).to.include(target === 'pglite' ? 'could not index the pushed commits now' : 'verso: indexed 1 commit(s) of site acme');

    // Nobody holds it now: the hook opens the store and indexes both commits.
    await g.server.close();
    await g.store.close();
    await put(c, 'page/home/en.json', '{"title":"two"}\n');
    await run(c, ['commit', '-qam', 'With no server'], GRACE);
    const alone = await tryGit(c, ['push', 'origin', 'main']);
    expect(alone.status, alone.stderr).to.equal(0);
    expect(alone.stderr).to.include(`verso: indexed ${target === 'pglite' ? 2 : 1} commit(s) of site acme`);

    const store = await openStore({ dataDir: g.db.dataDir, databaseUrl: g.db.databaseUrl, skipReconcile: true });
    try {
      const log = (await store.site('acme').doc('page', 'home').log()).items;
      expect(log.map((v) => [v.number, v.source, v.message])).to.deep.equal([
        [3, 'git', 'With no server'],
        [2, 'git', 'While the database is held'],
        [1, 'user', 'Update'],
      ]);
    } finally {
      await store.close();
    }
    g.store = await openStore({ dataDir: g.db.dataDir, databaseUrl: g.db.databaseUrl });
    g.server = { close: async () => undefined } as GitGateway['server'];
  });

  it('a working clone with post-commit: each commit becomes a version; a moved site branch is reported, nothing lost', async () => {
    await run(g.work, ['clone', '-q', g.store.repoDir('acme'), 'w']);
    const w = join(g.work, 'w');
    const installed = await verso(['hooks', 'install', 'acme', '--repo', w, '--data-dir', g.store.dataDir, '--json']);
    expect(installed.code, installed.stderr).to.equal(0);
    expect(JSON.parse(installed.stdout)).to.deep.include({ site: 'acme', installed: ['post-commit'] });

    await put(w, 'post/hello/en.md', '# Hello\n');
    await run(w, ['add', '-A']);
    const committed = await tryGit(w, ['commit', '-m', 'Write hello'], GRACE);
    expect(committed.stderr).to.include('verso: 1 commit(s) saved to acme/main (1 indexed)');
    const hello = (await g.store.site('acme').doc('post', 'hello').log()).items;
    expect(hello[0]).to.include({ number: 1, source: 'git', message: 'Write hello' });
    expect(hello[0]!.commit).to.equal((await run(w, ['rev-parse', 'HEAD'])).trim());

    // An API save moves main; the next commit cannot fast-forward and is kept in the clone.
    await g.store.site('acme').doc('page', 'home').save({ content: { title: 'API' } });
    await put(w, 'post/hello/en.md', '# Hello again\n');
    const second = await tryGit(w, ['commit', '-qam', 'Again'], GRACE);
    expect(second.status).to.equal(0);
    expect(second.stderr).to.include('has moved on');
    expect((await g.store.site('acme').doc('post', 'hello').log()).items).to.have.length(1);
    // Pull, and the next commit carries both.
    await run(w, ['pull', '-q', '--rebase', 'origin', 'main'], GRACE);
    await put(w, 'post/hello/fr.md', '# Bonjour\n');
    await run(w, ['add', '-A']);
    const third = await tryGit(w, ['commit', '-qm', 'French'], GRACE);
    expect(third.stderr).to.include('2 commit(s) saved to acme/main');
    expect((await g.store.site('acme').doc('post', 'hello').log()).items[0]).to.include({ number: 2, message: 'Again' });
    expect((await g.store.site('acme').doc('post', 'hello', 'fr').log()).items[0]).to.include({ number: 1, message: 'French' });
    gitFsckStrict(g.store.repoDir('acme'));
  });

  it('verso hooks install and verso sync through the CLI while the server holds the database', async () => {
    const installed = await verso(['hooks', 'install', 'acme', '--data-dir', g.store.dataDir, '--json']);
    expect(installed.code, installed.stderr).to.equal(0);
    expect(JSON.parse(installed.stdout)).to.deep.include({ site: 'acme', installed: ['pre-receive', 'post-receive'] });

    await run(g.work, ['init', '-q', '-b', 'main', 'outside']);
    const o = join(g.work, 'outside');
    await put(o, 'page/pricing/en.json', '{"plans":[]}\n');
    await run(o, ['add', '-A']);
    await run(o, ['commit', '-qm', 'Pricing, written elsewhere'], GRACE);
    const synced = await verso(['sync', 'acme', '--from', o, '--branch', 'imported', '--from-branch', 'main', '--data-dir', g.store.dataDir, '--json']);
    expect(synced.code, synced.stderr).to.equal(0);
    expect(JSON.parse(synced.stdout)).to.deep.include({ site: 'acme', branch: 'imported', commits: 1, indexed: 1, via: 'server' });
    const pricing = (await g.store.site('acme').doc('page', 'pricing').log()).items;
    expect(pricing[0]).to.include({ number: 1, branch: 'imported', source: 'git' });

    const again = await verso(['sync', 'acme', '--from', o, '--branch', 'imported', '--from-branch', 'main', '--data-dir', g.store.dataDir]);
    expect(again.code).to.equal(0);
    expect(again.stdout).to.include('up to date');

    const unrelated = await verso(['sync', 'acme', '--from', o, '--data-dir', g.store.dataDir, '--json']);
    expect(unrelated.code).to.not.equal(0);
    expect(unrelated.stdout + unrelated.stderr).to.include('conflict');
  });
});
