/**
 * The review commands of the CLI (tag, label, labels, comment, comments, resolve, preview,
 * unpublish, archive), each with --json, as real child processes against a running `verso serve`
 * (--remote), on the demo site it seeds.
 */
import { expect } from 'chai';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { startServe, verso, type CliResult, type ServeProcess } from './harness.js';

function json<T>(r: CliResult): T {
  expect(r.code, `exit code (stderr: ${r.stderr})`).to.equal(0);
  return JSON.parse(r.stdout) as T;
}

describe('verso CLI: review commands', function () {
  this.timeout(240_000);
  const target = databaseTargets().includes('pglite') ? 'pglite' : 'postgres';
  let db: TestDatabase;
  let server: ServeProcess;
  let remote: string[];

  before(async function () {
    db = await freshDatabase(target);
    server = await startServe(['--data-dir', db.dataDir, ...(db.databaseUrl ? ['--database-url', db.databaseUrl] : []), '--port', '0'], { timeoutMs: 120_000 });
    const key = /Admin key \(shown once, store it now\): (vk_\S+)/.exec(server.banner)?.[1];
    remote = ['--remote', server.url, '--api-key', key!, '--json'];
    for (const content of ['You are helpful.', 'You are helpful and brief.']) {
      expect((await verso(['save', 'demo', 'prompt/support/en', '-m', 'edit', ...remote], { input: content })).code).to.equal(0);
    }
  });
  after(async function () {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await db?.cleanup();
  });

  it('tags, labels and shows label history with who moved it', async () => {
    const tag = json<{ name: string; versionNumber: number; tagger: { name: string } }>(await verso(['tag', 'demo', 'prompt/support/en', '1', '1.0.0', '-m', 'first', '--author', 'Ann', ...remote]));
    expect(tag).to.deep.include({ name: '1.0.0', versionNumber: 1, tagger: { name: 'Ann' } });
    json(await verso(['label', 'demo', 'prompt/support/en', 'production', 'tag:1.0.0', '--author', 'Ann', ...remote]));
    const moved = json<{ versionNumber: number }>(await verso(['label', 'demo', 'prompt/support/en', 'production', '2', '-m', 'brief', '--author', 'Bob', ...remote]));
    expect(moved.versionNumber).to.equal(2);
    const labels = json<Array<{ name: string; versionNumber: number }>>(await verso(['labels', 'demo', 'prompt/support/en', ...remote]));
    expect(labels.map((l) => [l.name, l.versionNumber])).to.deep.equal([['production', 2]]);
    const history = json<Array<{ from?: number; to?: number; by: { name: string }; at: string }>>(await verso(['labels', 'demo', 'prompt/support/en', 'production', ...remote]));
    expect(history.map((m) => [m.from, m.to, m.by.name])).to.deep.equal([[1, 2, 'Bob'], [undefined, 1, 'Ann']]);
    const removed = await verso(['label', 'demo', 'prompt/support/en', 'production', '--remove', ...remote]);
    expect(removed.code, removed.stderr).to.equal(0);
    const missingRef = await verso(['label', 'demo', 'prompt/support/en', 'staging', ...remote]);
    expect(missingRef.code).to.equal(2);
  });

  it('comments, lists with --all and staleness, resolves', async () => {
    const c = json<{ id: string }>(await verso(['comment', 'demo', 'prompt/support/en', '1', '-m', 'too long', '--lines', '1', '--type', 'change_request', '--author', 'Rev', ...remote]));
    const all = json<Array<{ id: string; stale: boolean }>>(await verso(['comments', 'demo', 'prompt/support/en', 'draft', '--all', ...remote]));
    expect(all.find((x) => x.id === c.id)?.stale).to.equal(true);
    const resolved = json<{ resolved: boolean; resolvedBy: { name: string } }>(await verso(['resolve', 'demo', 'prompt/support/en', c.id, '--author', 'Ann', ...remote]));
    expect(resolved).to.deep.include({ resolved: true, resolvedBy: { name: 'Ann' } });
  });

  it('creates, lists and revokes preview links; unpublishes and archives', async () => {
    const link = json<{ id: string; url: string; token: string }>(await verso(['preview', 'demo', 'prompt/support/en', '2', '--expires', '2h', '--max-uses', '3', ...remote]));
    expect(link.url).to.contain(link.token);
    const list = json<Array<{ id: string; maxUses: number; revoked: boolean }>>(await verso(['preview', 'demo', 'prompt/support/en', '--list', ...remote]));
    expect(list.map((l) => [l.id, l.maxUses, l.revoked])).to.deep.equal([[link.id, 3, false]]);
    json(await verso(['preview', 'demo', 'prompt/support/en', '--revoke', link.id, ...remote]));
    expect(json<Array<{ revoked: boolean }>>(await verso(['preview', 'demo', 'prompt/support/en', '--list', ...remote]))[0]!.revoked).to.equal(true);
    expect((await verso(['preview', 'demo', 'prompt/support/en', '--expires', 'soon', ...remote])).code).to.equal(2);
    json(await verso(['publish', 'demo', 'prompt/support/en', ...remote]));
    json(await verso(['unpublish', 'demo', 'prompt/support/en', ...remote]));
    json(await verso(['archive', 'demo', 'prompt/support/en', ...remote]));
    const docs = json<{ items: Array<{ key: string; archived: boolean }> }>(await verso(['docs', 'demo', ...remote]));
    expect(docs.items.find((d) => d.key === 'support')?.archived).to.equal(true);
  });
});
