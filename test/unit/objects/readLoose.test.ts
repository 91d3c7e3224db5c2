/**
 * Loose objects are read without isomorphic-git: what git wrote reads back byte for byte, a
 * packed object still reads (through isomorphic-git), and a damaged file is an error, never
 * content.
 */
import { expect } from 'chai';
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { InternalError } from '../../../lib/errors/index.js';
import type { Oid } from '../../../lib/types.js';
import { git } from '../../helpers/git.js';
import { bytes, tempRepo, text } from './setup.js';

const A = { name: 'A', email: 'a@example.com', timestamp: 1, timezoneOffset: 0 };

function looseFile(dir: string, oid: string): string {
  return join(dir, 'objects', oid.slice(0, 2), oid.slice(2));
}

function overwrite(file: string, data: Buffer): void {
  chmodSync(file, 0o644);
  writeFileSync(file, data);
}

describe('objects: loose reads', () => {
  let ctx: Awaited<ReturnType<typeof tempRepo>>;
  beforeEach(async () => {
    ctx = await tempRepo();
  });
  afterEach(() => ctx.remove());

  it('reads what git hash-object -w wrote, small and over the inline-inflate size', async () => {
    for (const content of ['', 'hello\n', 'ü'.repeat(100_000)]) {
      const oid = git(ctx.dir, ['hash-object', '-w', '--stdin'], { input: content }).trim() as Oid;
      expect(text(await ctx.repo.readBlob(oid))).to.equal(content);
    }
  });

  it('still reads objects once they are packed and the loose files are gone', async () => {
    const oid = await ctx.repo.writeBlob(bytes('packed soon\n'));
    const commit = await ctx.repo.writeCommit({ parents: [], changes: [{ path: 'a/b.json', blob: oid }], author: A, message: 'm' });
    git(ctx.dir, ['update-ref', 'refs/heads/main', commit]);
    expect((await ctx.repo.pack()).packed).to.be.greaterThan(0);
    expect(() => readFileSync(looseFile(ctx.dir, oid))).to.throw();
    expect(text(await ctx.repo.readBlob(oid))).to.equal('packed soon\n');
  });

  it('refuses a file whose content does not hash to its name, or that is not zlib', async () => {
    const oid = await ctx.repo.writeBlob(bytes('original\n'));
    overwrite(looseFile(ctx.dir, oid), deflateSync(Buffer.from('blob 9\0tampered\n')));
    const err = await ctx.repo.readBlob(oid).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(InternalError);
    expect((err as Error).message).to.include('does not hash to its name');

    const other = await ctx.repo.writeBlob(bytes('second\n'));
    overwrite(looseFile(ctx.dir, other), Buffer.from('not zlib at all'));
    const err2 = await ctx.repo.readBlob(other).then(() => undefined, (e: unknown) => e);
    expect(err2).to.be.instanceOf(InternalError);
    expect((err2 as Error).message).to.include('not a zlib stream');
  });

  it('says a blob id that names a tree is not found as a blob', async () => {
    const blob = await ctx.repo.writeBlob(bytes('x\n'));
    const commit = await ctx.repo.writeCommit({ parents: [], changes: [{ path: 'a/b.json', blob }], author: A, message: 'm' });
    const { tree } = await ctx.repo.readCommit(commit);
    const err = await ctx.repo.readBlob(tree).then(() => undefined, (e: unknown) => e);
    expect((err as { code?: string }).code).to.equal('not_found');
  });
});
