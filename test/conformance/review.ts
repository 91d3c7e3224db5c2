/**
 * Conformance section for the review loop (0.2): comments resolved, reopened, deleted and
 * flagged stale; tags listed and used as refs; labels moved with their history in Git; preview
 * links listed, revoked and bound to a domain. Runs inside conformanceSuite, so against every
 * store on both databases.
 */
import { expect } from 'chai';
import { ConflictError, ForbiddenError, NotFoundError, PreviewExpiredError, ValidationError } from '../../lib/errors/index.js';
import type { Store } from '../../lib/types.js';
import { git, gitFsckStrict } from '../helpers/gitCli.js';

async function rejects<T>(p: Promise<unknown>, cls: new (...a: never[]) => T, code?: string): Promise<T> {
  try {
    await p;
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(cls);
    if (code) expect((err as { code: string }).code).to.equal(code);
    return err as T;
  }
  throw new Error(`expected a ${cls.name}, but the call succeeded`);
}

export function reviewConformance(get: () => { store: Store; repoDir: (site: string) => string }, site: string): void {
  const store = () => get().store;
  const repo = () => get().repoDir(site);

  describe('review: comments', () => {
    it('resolves and reopens a comment, naming who resolved it and when', async () => {
      const d = store().site(site).doc('prd', 'resolving');
      await d.save({ content: 'one\ntwo\n', format: 'text' });
      const c = await d.comment(1, { body: 'Is two right?', author: 'Rev' });
      expect(c).to.include({ resolved: false, stale: false });
      expect(c.resolvedAt).to.equal(undefined);
      const done = await d.resolveComment(c.id, { author: { name: 'Ann', email: 'ann@example.com' } });
      expect(done).to.include({ id: c.id, resolved: true });
      expect(done.resolvedBy).to.deep.equal({ name: 'Ann', email: 'ann@example.com' });
      expect(Date.parse(done.resolvedAt!)).to.be.a('number').and.not.NaN;
      expect((await d.comments(1))[0]).to.include({ resolved: true });
      const open = await d.resolveComment(c.id, { resolved: false, author: 'Ann' });
      expect(open.resolved).to.equal(false);
      expect(open.resolvedBy).to.equal(undefined);
      await rejects(d.resolveComment('01ARZ3NDEKTSV4RRFFQ69G5FAV', { author: 'Ann' }), NotFoundError, 'not_found');
      await rejects(d.resolveComment('not-an-id'), ValidationError, 'invalid_input');
      const actions = (await store().site(site).events({ limit: 1000 })).items.map((e) => e.action);
      expect(actions).to.include.members(['comment.resolve', 'comment.reopen']);
    });

    it('deletes a comment with its replies', async () => {
      const d = store().site(site).doc('prd', 'deleting');
      await d.save({ content: 'x\n', format: 'text' });
      const c = await d.comment(1, { body: 'Drop this', author: 'Rev' });
      await d.comment(1, { body: 'Reply', author: 'Ann', parentId: c.id });
      const keep = await d.comment(1, { body: 'Keep', author: 'Rev' });
      await d.deleteComment(c.id);
      expect((await d.comments(1)).map((x) => x.id)).to.deep.equal([keep.id]);
      await rejects(d.deleteComment(c.id), NotFoundError, 'not_found');
    });

    it('flags comments stale when their lines, or for unanchored ones the content, changed', async () => {
      const d = store().site(site).doc('prompt', 'staleness');
      await d.save({ content: 'alpha\nbeta\ngamma\n', format: 'text' });
      const onAlpha = await d.comment(1, { body: 'alpha ok', author: 'Rev', anchor: { startLine: 1, endLine: 1 } });
      const onBeta = await d.comment(1, { body: 'beta?', author: 'Rev', anchor: { startLine: 2, endLine: 2 } });
      const whole = await d.comment(1, { body: 'overall fine', author: 'Rev' });
      await d.save({ content: 'alpha\nBETA\ngamma\n' });
      const onV2 = await d.comment(2, { body: 'better', author: 'Ann' });
      const all = await d.comments('draft', { all: true });
      const byId = new Map(all.map((c) => [c.id, c]));
      expect(all.map((c) => c.id)).to.have.members([onAlpha.id, onBeta.id, whole.id, onV2.id]);
      expect(byId.get(onAlpha.id)!.stale, 'line 1 is unchanged').to.equal(false);
      expect(byId.get(onBeta.id)!.stale, 'line 2 changed').to.equal(true);
      expect(byId.get(whole.id)!.stale, 'the content changed').to.equal(true);
      expect(byId.get(onV2.id)!.stale, 'written on the version asked about').to.equal(false);
      // Judged against the ref asked about: against version 1, version 1's comments are current.
      const fromV1 = new Map((await d.comments(1, { all: true })).map((c) => [c.id, c.stale]));
      expect(fromV1.get(onBeta.id)).to.equal(false);
      expect(fromV1.get(onV2.id)).to.equal(true);
      expect((await d.comments(2)).map((c) => c.id)).to.deep.equal([onV2.id]);
    });

    it('refuses anchors beyond the content, NUL and bodies past the limit the index enforces', async () => {
      const d = store().site(site).doc('prompt', 'limits');
      await d.save({ content: 'one\ntwo\n', format: 'text' });
      const err = await rejects(d.comment(1, { body: 'x', author: 'Rev', anchor: { startLine: 2, endLine: 3 } }), ValidationError, 'invalid_input');
      expect(err.message).to.contain('2 lines');
      await d.comment(1, { body: 'fine', author: 'Rev', anchor: { startLine: 1, endLine: 2 } });
      await rejects(d.comment(1, { body: 'a\u0000b', author: 'Rev' }), ValidationError, 'invalid_input');
      await rejects(d.comment(1, { body: 'x'.repeat(20_001), author: 'Rev' }), ValidationError, 'invalid_input');
      // 20000 characters is the limit PostgreSQL counts (code points): exactly that is stored.
      const long = await d.comment(1, { body: '\u{1F600}'.repeat(20_000), author: 'Rev' });
      expect([...long.body].length).to.equal(20_000);
      expect((await d.comments(1)).map((c) => c.body.length)).to.include(40_000);
    });
  });

  describe('review: tags and labels', () => {
    it('lists tags with the caller as tagger and takes tag: and label: refs everywhere', async () => {
      const d = store().site(site).doc('prd', 'refs');
      await d.save({ content: '# v1\n', format: 'markdown' });
      await d.save({ content: '# v2\n' });
      await d.save({ content: '# v3\n' });
      const t = await d.tag(1, '1.0.0', { message: 'First', author: { name: 'Ann', email: 'ann@example.com' } });
      expect(t.tagger).to.deep.include({ name: 'Ann' });
      await d.tag(2, '1.1.0', { author: 'Bob' });
      const tags = await d.tags();
      expect(tags.map((x) => [x.name, x.versionNumber])).to.deep.equal([['1.1.0', 2], ['1.0.0', 1]]);
      expect(tags[1]!.tagger).to.deep.include({ name: 'Ann' });
      expect(git(repo(), 'tag', '-l', '--format=%(taggername) %(taggeremail)', 'prd/refs/en/v1.0.0').trim()).to.equal('Ann <ann@example.com>');
      expect((await d.show('tag:1.0.0')).content).to.equal('# v1\n');
      await d.label('approved', 'tag:1.1.0', { author: 'Ann' });
      expect((await d.show('label:approved')).number).to.equal(2);
      const diff = await d.diff('tag:1.0.0', 'label:approved');
      expect([diff.from.number, diff.to.number]).to.deep.equal([1, 2]);
      expect((await d.publish('label:approved')).number).to.equal(2);
      const back = await d.rollback('tag:1.0.0', { author: 'Ann' });
      expect((await d.show(back.number)).content).to.equal('# v1\n');
      await rejects(d.show('tag:9.9.9'), NotFoundError, 'not_found');
      await rejects(d.show('label:nope'), NotFoundError, 'not_found');
      await rejects(d.show('tag:not-semver'), ValidationError, 'invalid_input');
    });

    it("moves a prompt's production label and its history shows who moved it when", async () => {
      const d = store().site(site).doc('prompt', 'support-bot');
      await d.save({ content: 'You are helpful.\n', format: 'text' });
      await d.save({ content: 'You are helpful and brief.\n' });
      const before = Date.now();
      const first = await d.label('production', 1, { author: { name: 'Ann', email: 'ann@example.com' }, message: 'first release' });
      expect(first).to.include({ name: 'production', versionNumber: 1 });
      expect(first.movedBy).to.deep.equal({ name: 'Ann', email: 'ann@example.com' });
      const moved = await d.label('production', 2, { author: 'Bob', message: 'shorter answers' });
      expect(moved).to.include({ versionNumber: 2 });
      expect(moved.movedBy).to.deep.equal({ name: 'Bob' });
      const again = await d.label('production', 2, { author: 'Carol' });
      expect(again.movedBy, 'moving a label to where it is changes nothing').to.deep.equal({ name: 'Bob' });
      await d.label('staging', 2, { author: 'Bob' });
      expect((await d.labels()).map((l) => [l.name, l.versionNumber])).to.deep.equal([['production', 2], ['staging', 2]]);

      const history = await d.labelHistory('production');
      expect(history.map((m) => [m.from, m.to, m.by.name, m.message])).to.deep.equal([
        [1, 2, 'Bob', 'shorter answers'],
        [undefined, 1, 'Ann', 'first release'],
      ]);
      for (const m of history) expect(Date.parse(m.at)).to.be.at.least(before - 1000);
      expect(Date.parse(history[0]!.at)).to.be.at.least(Date.parse(history[1]!.at));

      // The truth is in Git: one commit per move, the file names version and commit.
      const file = JSON.parse(git(repo(), 'show', 'labels:prompt/support-bot/en/production')) as { version: number; commit: string };
      expect(file).to.deep.equal({ version: 2, commit: (await d.show(2)).commit });
      const log = git(repo(), 'log', '--format=%an|%s', 'labels', '--', 'prompt/support-bot/en/production').trim().split('\n');
      expect(log).to.deep.equal(['Bob|shorter answers', 'Ann|first release']);

      await d.removeLabel('staging', { author: 'Ann' });
      expect((await d.labels()).map((l) => l.name)).to.deep.equal(['production']);
      expect((await d.labelHistory('staging')).map((m) => [m.from, m.to, m.by.name])).to.deep.equal([[2, undefined, 'Ann'], [undefined, 2, 'Bob']]);
      expect(git(repo(), 'ls-tree', '-r', '--name-only', 'labels').trim().split('\n')).to.not.include('prompt/support-bot/en/staging');
      await rejects(d.removeLabel('staging'), NotFoundError, 'not_found');
      await rejects(d.labelHistory('never'), NotFoundError, 'not_found');
      await rejects(d.label('Bad Name', 1), ValidationError, 'invalid_input');
      await rejects(d.label('production', 99), NotFoundError, 'not_found');
      const actions = (await store().site(site).events({ limit: 1000 })).items.map((e) => e.action);
      expect(actions).to.include.members(['label.move', 'label.remove']);
    });

    it('serializes concurrent moves of one label: every move records the one before it, one commit each', async () => {
      const d = store().site(site).doc('prompt', 'raced');
      for (let i = 1; i <= 4; i++) await d.save({ content: `v${i}\n`, format: 'text' });
      const moves = await Promise.all([1, 2, 3, 4, 1, 2].map((n, i) => d.label('live', n, { author: `writer-${i}` })));
      expect(moves).to.have.length(6);
      const history = (await d.labelHistory('live')).reverse(); // oldest first
      expect(history[0]!.from).to.equal(undefined);
      for (let i = 1; i < history.length; i++) expect(history[i]!.from, `move ${i}`).to.equal(history[i - 1]!.to);
      expect((await d.labels())[0]!.versionNumber).to.equal(history.at(-1)!.to);
      const commits = git(repo(), 'log', '--format=%H', 'labels', '--', 'prompt/raced/en/live').trim().split('\n');
      expect(commits).to.have.length(history.length);
    });

    it('keeps the labels branch out of the versions: not a branch anyone saves to or merges', async () => {
      const d = store().site(site).doc('prompt', 'support-bot');
      await rejects(d.save({ content: 'x\n', branch: 'labels' }), ValidationError, 'invalid_input');
      await rejects(store().site(site).createBranch('labels'), ValidationError, 'invalid_input');
      const log = await d.log({ limit: 100 });
      expect(log.items.every((v) => v.branch !== 'labels')).to.equal(true);
      gitFsckStrict(repo());
    });
  });

  describe('review: preview links', () => {
    it('lists links without tokens and revokes one', async () => {
      const d = store().site(site).doc('page', 'links');
      await d.save({ content: { title: 'One' } });
      const pinned = await d.preview(1, { maxUses: 5 });
      const live = await d.preview('draft', { expiresIn: 600 });
      const list = await d.previews();
      expect(list.map((p) => p.id)).to.deep.equal([live.id, pinned.id]);
      expect(list[1]).to.include({ versionNumber: 1, maxUses: 5, uses: 0, revoked: false });
      expect(list[0]).to.include({ follows: 'draft', revoked: false });
      expect(JSON.stringify(list)).to.not.contain(pinned.token).and.not.contain(live.token);
      await store().site(site).resolvePreview(pinned.token);
      expect((await d.previews()).find((p) => p.id === pinned.id)!.uses).to.equal(1);
      await d.revokePreview(pinned.id);
      await d.revokePreview(pinned.id);
      expect((await d.previews()).find((p) => p.id === pinned.id)!.revoked).to.equal(true);
      await rejects(store().site(site).resolvePreview(pinned.token), PreviewExpiredError, 'preview_expired');
      expect((await store().site(site).resolvePreview(live.token)).content).to.deep.equal({ title: 'One' });
      await rejects(d.revokePreview('01ARZ3NDEKTSV4RRFFQ69G5FAV'), NotFoundError, 'not_found');
    });

    it('opens a domain-bound link only on that host, and its url is on that domain', async () => {
      const d = store().site(site).doc('page', 'bound');
      await d.save({ content: { title: 'Bound' } });
      const p = await d.preview(1, { domain: 'acme.test', maxUses: 1 });
      expect(new URL(p.url).hostname).to.equal('acme.test');
      expect(p.url).to.match(new RegExp(`/v1/preview/${p.token}$`));
      await rejects(store().site(site).resolvePreview(p.token), ForbiddenError, 'forbidden');
      await rejects(store().site(site).resolvePreview(p.token, { host: 'evil.test' }), ForbiddenError, 'forbidden');
      // A refused open does not use the link up.
      expect((await store().site(site).resolvePreview(p.token, { host: 'ACME.test:443' })).content).to.deep.equal({ title: 'Bound' });
      await rejects(store().site(site).resolvePreview(p.token, { host: 'acme.test' }), PreviewExpiredError, 'preview_expired');
    });

    it('refuses previews of archived documents and unbounded use limits', async () => {
      const d = store().site(site).doc('page', 'archived-preview');
      await d.save({ content: { title: 'Soon gone' } });
      const p = await d.preview(1);
      await rejects(d.preview(1, { maxUses: 1e12 }), ValidationError, 'invalid_input');
      await rejects(d.preview(1, { maxUses: 1_000_001 }), ValidationError, 'invalid_input');
      await d.preview(1, { maxUses: 1_000_000 });
      await d.archive();
      await rejects(d.preview(1), ConflictError, 'conflict');
      await rejects(store().site(site).resolvePreview(p.token), PreviewExpiredError, 'preview_expired');
    });
  });
}
