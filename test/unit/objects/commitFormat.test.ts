/**
 * Our commit reader (commitFormat.ts) against isomorphic-git's, the reader it replaced, on
 * commits written by the real git CLI: odd headers, signatures, CRLF, time zones, merges,
 * annotated tags, packed and loose. Each must read back exactly as isomorphic-git reads it.
 */
import { expect } from 'chai';
import { readCommit as isoReadCommit } from 'isomorphic-git';
import fs from 'node:fs';
import type { Oid } from '../../../lib/types.js';
import { parseCommit } from '../../../lib/objects/commitFormat.js';
import { openSiteRepo } from '../../../lib/objects/index.js';
import { git } from '../../helpers/git.js';
import { bytes, tempRepo } from './setup.js';

const TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

function literalCommit(dir: string, text: string): Oid {
  return git(dir, ['hash-object', '-t', 'commit', '-w', '--literally', '--stdin'], { input: text }).trim() as Oid;
}

async function viaIsoGit(dir: string, oid: Oid) {
  const r = await isoReadCommit({ fs, gitdir: dir, oid });
  const c = r.commit;
  return { oid: r.oid, tree: c.tree, parents: c.parent, author: c.author, committer: c.committer, message: c.message };
}

describe('objects: our commit reader reads what isomorphic-git reads', () => {
  let ctx: Awaited<ReturnType<typeof tempRepo>>;
  beforeEach(async () => {
    ctx = await tempRepo();
  });
  afterEach(() => ctx.remove());

  const cases: Record<string, (parent: Oid) => string> = {
    'a plain commit, zone +0530': () => `tree ${TREE}\nauthor A <a@x> 1700000000 +0530\ncommitter C <c@x> 1700000001 -0800\n\nhello\n`,
    'an empty email and a zone of -0000': () => `tree ${TREE}\nauthor A <> 1700000000 -0000\ncommitter C <> 1700000000 +0000\n\nm\n`,
    'a signature header with continuation lines': () =>
      `tree ${TREE}\nauthor A <a@x> 1700000000 +0000\ncommitter C <c@x> 1700000000 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEz\n -----END PGP SIGNATURE-----\n\nsigned\n`,
    'CRLF, blank lines around and no final newline in the message': () => `tree ${TREE}\nauthor A <a@x> 1700000000 +0100\ncommitter C <c@x> 1700000000 +0100\n\n\n\nline one\r\nline two\r\n\n\n`,
    'an encoding header and a second author line': () =>
      `tree ${TREE}\nauthor First <f@x> 1700000000 +0000\ncommitter C <c@x> 1700000000 +0000\nencoding ISO-8859-1\nauthor Second <s@x> 1 +0000\n\nfirst author counts\n`,
    'two parents, trailers and unicode': (p) => `tree ${TREE}\nparent ${p}\nparent ${p}\nauthor Zoë <z@x> 1700000000 +0000\ncommitter Zoë <z@x> 1700000000 +0000\n\nMerge ✓\n\nVerso-Doc: page/home/en\nVerso-Version: 3\n`,
  };

  for (const [name, text] of Object.entries(cases)) {
    it(`reads ${name} as isomorphic-git does`, async () => {
      const parent = literalCommit(ctx.dir, `tree ${TREE}\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nroot\n`);
      const oid = literalCommit(ctx.dir, text(parent));
      const ours = await openSiteRepo({ dir: ctx.dir }).readCommit(oid);
      expect(ours).to.deep.equal(await viaIsoGit(ctx.dir, oid));
    });
  }

  it('peels an annotated tag, packed, to the commit isomorphic-git gives', async () => {
    const oid = literalCommit(ctx.dir, cases['a plain commit, zone +0530']!('' as Oid));
    git(ctx.dir, ['-c', 'user.name=T', '-c', 'user.email=t@x', 'tag', '-a', '-m', 'release', 'v1', oid]);
    const tag = git(ctx.dir, ['rev-parse', 'v1']).trim() as Oid;
    git(ctx.dir, ['repack', '-a', '-d', '-q']);
    const ours = await openSiteRepo({ dir: ctx.dir }).readCommit(tag);
    expect(ours.oid).to.equal(oid);
    expect(ours).to.deep.equal(await viaIsoGit(ctx.dir, tag));
  });

  it('leaves a shape it does not know to isomorphic-git (undefined), and refuses a blob as a commit', async () => {
    expect(parseCommit(TREE as Oid, bytes(`tree ${TREE}\nauthor A <a@x> 1 +0000\n\nno committer\n`))).to.equal(undefined);
    expect(parseCommit(TREE as Oid, bytes(`parent ${TREE}\ntree ${TREE}\n\nparent first\n`))).to.equal(undefined);
    expect(parseCommit(TREE as Oid, bytes(`tree ${TREE}\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1 +0000`))).to.equal(undefined);
    const blob = await ctx.repo.writeBlob(bytes('not a commit'));
    const err = await ctx.repo.readCommit(blob).then(() => undefined, (e: unknown) => e);
    expect(err).to.have.property('code', 'not_found');
  });
});
