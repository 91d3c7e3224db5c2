/**
 * `verso backup | verify | restore` as a user runs them: real child processes, --json answers,
 * exit statuses (verify 1 naming the file; restore into a used store 1 with `conflict`).
 */
import { cp, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { BackupReport, RestoreReport, VerifyReport } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { verso, type CliResult } from '../cli/harness.js';

function json<T>(r: CliResult, code = 0): T {
  expect(r.code, `exit code (stdout: ${r.stdout} stderr: ${r.stderr})`).to.equal(code);
  return JSON.parse(r.stdout) as T;
}

const storeArgs = (db: TestDatabase) => ['--data-dir', db.dataDir, ...(db.databaseUrl ? ['--database-url', db.databaseUrl] : [])];

// The CLI is a thin edge; one database is enough (backup.test.ts runs the store on both).
const target = databaseTargets().includes('pglite') ? 'pglite' : 'postgres';

describe(`verso backup | verify | restore (CLI, on ${target})`, function () {
  this.timeout(300_000);
  let source: TestDatabase;
  let restored: TestDatabase;
  let work: string;

  before(async () => {
    source = await freshDatabase(target);
    restored = await freshDatabase(target);
    work = await mkdtemp(join(tmpdir(), 'verso-backup-cli-'));
  });
  after(async () => {
    await source?.cleanup();
    await restored?.cleanup();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('backs up, verifies, names a corrupt file, restores, and refuses a used store', async () => {
    const src = storeArgs(source);
    expect((await verso([...src, 'site', 'create', 'acme', '--name', 'Acme', '--locales', 'en,fr'])).code).to.equal(0);
    expect((await verso([...src, 'save', 'acme', 'page/home/en', '--format', 'json', '-m', 'First'], { input: '{"title":"Hello"}' })).code).to.equal(0);
    expect((await verso([...src, 'save', 'acme', 'page/home/en', '-m', 'Second'], { input: '{"title":"Hello again"}' })).code).to.equal(0);
    expect((await verso([...src, 'publish', 'acme', 'page/home/en', '1'])).code).to.equal(0);
    const key = json<{ id: string }>(await verso([...src, '--json', 'keys', 'create', '--role', 'editor', '--site', 'acme']));

    const dir = join(work, 'bk');
    const backup = await verso([...src, '--json', 'backup', '--out', dir]);
    const report = json<BackupReport>(backup);
    expect(report).to.include({ dir });
    expect(report.repositories).to.deep.equal([{ site: 'acme', refs: 2, bytes: report.repositories[0]!.bytes, bundle: join(dir, 'repos/acme.bundle') }]);
    expect(backup.stderr).to.include('backup: dumping the index');

    const verified = json<VerifyReport>(await verso([...src, '--json', 'verify', dir]));
    expect(verified).to.include({ ok: true, backupSetId: report.id, recorded: 2 });
    const text = await verso(['verify', dir, '--no-record']);
    expect(text.code).to.equal(0);
    expect(text.stdout).to.match(/verify .*: ok \(\d+ files, \d+ rows, 1 bundle\)\n$/);

    const corrupt = join(work, 'corrupt');
    await cp(dir, corrupt, { recursive: true });
    const fh = await open(join(corrupt, 'db/content_versions.jsonl'), 'r+');
    await fh.write('#', 10);
    await fh.close();
    const failed = await verso(['verify', corrupt, '--no-record']);
    expect(failed.code).to.equal(1);
    expect(failed.stdout).to.include('FAILED db/content_versions.jsonl: has SHA-256');

    const dst = storeArgs(restored);
    const done = json<RestoreReport>(await verso([...dst, '--json', 'restore', '--from', dir]));
    expect(done).to.include({ backupSetId: report.id });
    expect(done.sites).to.deep.equal(['acme']);
    const log = async (args: string[]) => json<{ items: Array<Record<string, unknown>> }>(await verso([...args, '--json', 'log', 'acme', 'page/home/en'])).items.map(({ id: _id, ...v }) => v);
    expect(await log(dst)).to.deep.equal(await log(src));
    expect((await verso([...dst, 'fsck'])).stdout).to.include('fsck: clean');
    // The key made before the backup is a key of the restored store.
    expect(json<{ items: Array<{ id: string }> }>(await verso([...dst, '--json', 'keys', 'list'])).items.map((k) => k.id)).to.deep.equal([key.id]);
    // Without a directory, verify takes the newest completed backup the catalogue knows.
    expect(json<VerifyReport>(await verso([...dst, '--json', 'verify']))).to.include({ ok: true, dir });

    const again = await verso([...dst, 'restore', '--from', dir]);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.match(/restore needs an empty store: .* \(conflict\)/);
  });
});
