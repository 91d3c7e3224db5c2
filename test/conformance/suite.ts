/**
 * The conformance suite: every Store operation, written once against the public interface and
 * run against every implementation (embedded on PGlite, embedded on PostgreSQL, remote over the
 * gateway). `repoDir`, when given, lets it check the Git side with the real git CLI.
 */
import { expect } from 'chai';
import {
  ConflictError,
  NotFoundError,
  PreviewExpiredError,
  TooLargeError,
  ValidationError,
} from '../../lib/errors/index.js';
import type { Store } from '../../lib/types.js';
import { git, gitFsckStrict } from '../helpers/gitCli.js';
import { integrationSection } from './integrations.js';
import { reviewConformance } from './review.js';
import { mergeConformance } from './merge.js';

export interface StoreUnderTest {
  store: Store;
  cleanup(): Promise<void>;
  /** Path of a site's bare repository (remote suites pass the one behind the gateway). */
  repoDir: (site: string) => string;
  /** Size limit the store was opened with (default 10 MiB). */
  maxBytes?: number;
  /** Rebuilds a site's history index from Git (the embedded store's reindex, behind the gateway for remote). */
  reindex(site: string): Promise<void>;
}

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

export function conformanceSuite(label: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`conformance: ${label}`, function () {
    this.timeout(120_000);
    let t: StoreUnderTest;
    let store: Store;
    const site = 'acme';

    before(async () => {
      t = await makeStore();
      store = t.store;
      await store.createSite({ id: site, name: 'Acme', locales: ['en', 'fr'], domains: ['acme.test'] });
    });
    after(async () => t && (await t.cleanup()));

    describe('sites', () => {
      it('creates, gets and lists sites', async () => {
        const s = await store.getSite(site);
        expect(s).to.include({ id: site, name: 'Acme', defaultLocale: 'en' });
        expect(s.locales).to.have.members(['en', 'fr']);
        expect(s.domains).to.deep.equal(['acme.test']);
        expect((await store.listSites()).map((x) => x.id)).to.include(site);
      });
      it('refuses a duplicate site and bad ids', async () => {
        await rejects(store.createSite({ id: site, name: 'Again' }), ConflictError, 'conflict');
        for (const id of ['..', 'a/b', 'x.git', 'main.lock', 'bad\u0001', 'A', 'x'.repeat(80), '']) {
          await rejects(store.createSite({ id, name: 'x' }), ValidationError, 'invalid_input');
        }
        await rejects(store.getSite('nope'), NotFoundError, 'not_found');
      });
    });

    describe('save, log, show', () => {
      const doc = () => store.site(site).doc('post', 'hello-world', 'en');

      it('saves JSON canonically and shows it back by number, hash, draft and branch', async () => {
        const v1 = await doc().save({ content: { title: 'Hello', body: 'one', tags: ['a'] }, message: 'First', author: { name: 'Ada', email: 'ada@example.com' } });
        expect(v1).to.include({ number: 1, site, type: 'post', key: 'hello-world', locale: 'en', branch: 'main', kind: 'draft', source: 'user', message: 'First', isCurrentDraft: true, isCurrentPublished: false });
        expect(v1.commit).to.match(/^[0-9a-f]{40}$/);
        expect(v1.author).to.deep.equal({ name: 'Ada', email: 'ada@example.com' });
        const v2 = await doc().save({ content: { body: 'two', title: 'Hello' }, message: 'Second', author: 'Bob', source: 'ai_edit' });
        expect(v2.number).to.equal(2);
        expect(v2.source).to.equal('ai_edit');
        // A prefix of digits only is a version number by definition (1 in 40 of 8-character
        // prefixes): take the shortest one from 8 characters that has a hex letter in it.
        const prefix = v2.commit.slice(0, Math.max(8, v2.commit.search(/[a-f]/) + 1));
        for (const ref of [2, '2', v2.commit, prefix, 'draft', 'main']) {
          const s = await doc().show(ref);
          expect(s.number, String(ref)).to.equal(2);
          expect(s.content).to.deep.equal({ body: 'two', title: 'Hello' });
        }
        expect((await doc().show(1)).isCurrentDraft).to.equal(false);
        {
          const text = git(t.repoDir(site), 'show', `main:post/hello-world/en.json`);
          expect(text).to.equal('{\n  "body": "two",\n  "title": "Hello"\n}\n');
          const msg = git(t.repoDir(site), 'log', '-1', '--format=%an <%ae>%n%B', 'main');
          expect(msg).to.contain('Bob <>').and.contain('Verso-Doc: post/hello-world/en').and.contain('Verso-Version: 2').and.contain('Verso-Source: ai_edit');
        }
      });

      it('equal content gives equal blobs whatever the key order', async () => {
        const d = store.site(site).doc('page', 'canon');
        const a = await d.save({ content: { b: 1, a: { d: 2, c: 3 } } });
        const b = await d.save({ content: { a: { c: 3, d: 2 }, b: 1 } });
        expect(a.blob).to.equal(b.blob);
      });

      it('saves markdown and text, autosaves, and keeps the format', async () => {
        const md = store.site(site).doc('prd', 'checkout', 'fr');
        const v = await md.save({ content: '# Paiement\n', format: 'markdown', kind: 'autosave' });
        expect(v).to.include({ kind: 'autosave', locale: 'fr', isCurrentDraft: true });
        expect((await md.show('draft')).content).to.equal('# Paiement\n');
        await rejects(md.save({ content: { a: 1 }, format: 'json' }), ValidationError);
        const txt = store.site(site).doc('prompt', 'greeter');
        await txt.save({ content: 'You are kind.' });
        expect((await txt.show(1)).content).to.equal('You are kind.');
        expect(git(t.repoDir(site), 'show', 'main:prd/checkout/fr.md')).to.equal('# Paiement\n');
      });

      it('pages the log newest first with a cursor', async () => {
        const d = store.site(site).doc('post', 'paged');
        for (let i = 1; i <= 7; i++) await d.save({ content: { i } });
        const p1 = await d.log({ limit: 3 });
        expect(p1.items.map((v) => v.number)).to.deep.equal([7, 6, 5]);
        expect(p1.next).to.be.a('string');
        const p2 = await d.log({ limit: 3, cursor: p1.next });
        expect(p2.items.map((v) => v.number)).to.deep.equal([4, 3, 2]);
        const p3 = await d.log({ limit: 3, cursor: p2.next });
        expect(p3.items.map((v) => v.number)).to.deep.equal([1]);
        expect(p3.next).to.equal(undefined);
        await rejects(d.log({ cursor: 'garbage!' }), ValidationError, 'invalid_input');
      });

      it('refuses bad input before writing anything', async () => {
        const s = store.site(site);
        for (const [type, key] of [['..', 'x'], ['post', 'a/b'], ['post', '.git'], ['post', 'x.lock'], ['po\nst', 'x'], ['post', 'k'.repeat(70)]] as const) {
          await rejects(s.doc(type, key).save({ content: { a: 1 } }), ValidationError, 'invalid_input');
        }
        await rejects(s.doc('post', 'x', 'de').save({ content: { a: 1 } }), ValidationError, 'invalid_input');
        await rejects(s.doc('post', 'x', 'e/n').save({ content: { a: 1 } }), ValidationError, 'invalid_input');
        await rejects(s.doc('post', 'x').save({ content: '{not json', format: 'json' }), ValidationError, 'invalid_input');
        await rejects(s.doc('post', 'x').save({ content: { a: 1 }, branch: '../main' }), ValidationError, 'invalid_input');
        await rejects(s.doc('post', 'x').save({ content: { a: 1 }, author: { name: 'x', email: 'not-an-email' } }), ValidationError);
        await rejects(store.site('nope').doc('post', 'x').save({ content: { a: 1 } }), NotFoundError, 'not_found');
        const big = 'x'.repeat((t.maxBytes ?? 10 * 1024 * 1024) + 1);
        await rejects(s.doc('post', 'big').save({ content: big, format: 'text' }), TooLargeError, 'too_large');
        await rejects(s.doc('post', 'x').show(1), NotFoundError, 'not_found');
        await rejects(s.doc('post', 'x').log(), NotFoundError, 'not_found');
        const page = await s.docs({ q: 'big' });
        expect(page.items).to.have.length(0);
      });

      it('detects conflicts with baseVersion and honours idempotency keys', async () => {
        const d = store.site(site).doc('post', 'conflict');
        const v1 = await d.save({ content: { n: 1 } });
        await d.save({ content: { n: 2 }, baseVersion: v1.number });
        const err = await rejects(d.save({ content: { n: 3 }, baseVersion: v1.number }), ConflictError, 'conflict');
        expect(err).to.be.instanceOf(ConflictError);
        expect((await d.show('draft')).content).to.deep.equal({ n: 2 });
        const a = await d.save({ content: { n: 4 }, idempotencyKey: 'req-1' });
        const b = await d.save({ content: { n: 4 }, idempotencyKey: 'req-1' });
        expect(b.number).to.equal(a.number);
        expect(b.commit).to.equal(a.commit);
        expect((await d.log()).items).to.have.length(3);
      });
    });

    describe('diff', () => {
      it('gives unified, words and JSON field diffs', async () => {
        const d = store.site(site).doc('page', 'diffme');
        await d.save({ content: { title: 'Old', seo: { description: 'same' }, blocks: ['a', 'b'] } });
        await d.save({ content: { title: 'New', seo: { description: 'same', noindex: true }, blocks: ['a'] } });
        const u = await d.diff(1, 2);
        expect(u.format).to.equal('unified');
        expect(u.unified).to.contain('-  "title": "Old"').and.contain('+  "title": "New"');
        expect(u.stats.additions).to.be.greaterThan(0);
        const j = await d.diff(1, 2, { format: 'json' });
        expect(j.fields).to.deep.include({ path: 'title', op: 'change', before: 'Old', after: 'New' });
        expect(j.fields).to.deep.include({ path: 'seo.noindex', op: 'add', after: true });
        expect(j.fields).to.deep.include({ path: 'blocks[1]', op: 'remove', before: 'b' });
        expect(j.fields!.map((f) => f.path)).to.not.include('seo.description');
        const w = await d.diff(1, 'draft', { format: 'words' });
        expect(w.words!.some((p) => p.op === 'add' && p.text.includes('New'))).to.equal(true);
        await rejects(d.diff(1, 99), NotFoundError);
      });
    });

    describe('publish, unpublish, rollback, archive', () => {
      it('publishes to the published branch and moves the flag', async () => {
        const d = store.site(site).doc('page', 'pricing');
        await d.save({ content: { price: 10 } });
        await d.save({ content: { price: 12 } });
        const p = await d.publish(1);
        expect(p).to.include({ number: 1, isCurrentPublished: true });
        expect((await d.show('published')).content).to.deep.equal({ price: 10 });
        await d.publish();
        const shown = await d.show('published');
        expect(shown.number).to.equal(2);
        expect((await d.show(1)).isCurrentPublished).to.equal(false);
        expect(JSON.parse(git(t.repoDir(site), 'show', 'published:page/pricing/en.json'))).to.deep.equal({ price: 12 });
        const listed = await store.site(site).docs({ state: 'published', type: 'page' });
        expect(listed.items.find((x) => x.key === 'pricing')).to.include({ publishedVersion: 2, draftVersion: 2 });
        await d.unpublish();
        await rejects(d.show('published'), NotFoundError);
        expect(() => git(t.repoDir(site), 'show', 'published:page/pricing/en.json')).to.throw();
      });

      it('history shows when a version was published, and reindex keeps it', async () => {
        const d = store.site(site).doc('page', 'launch');
        for (const v of [1, 2, 3]) await d.save({ content: { v } });
        const first = await d.publish(1);
        const second = await d.publish(2);
        const history = (await d.log()).items;
        // 3: never published; 2: live; 1: published once, then replaced (it keeps its time).
        expect(history.map((v) => [v.number, v.isCurrentPublished, v.publishedAt === null])).to.deep.equal([[3, false, true], [2, true, false], [1, false, false]]);
        expect(history[2]!.publishedAt).to.equal(first.publishedAt);
        expect(history[1]!.publishedAt).to.equal(second.publishedAt);
        // Derived from Git: the time of the commit on `published` that published the version.
        const commits = git(t.repoDir(site), 'log', '--format=%ct %s', 'published').trim().split('\n');
        const publishedAt = (n: number) => Number(commits.find((l) => l.endsWith(` Publish version ${n} of page/launch/en`))!.split(' ')[0]) * 1000;
        expect(Date.parse(history[1]!.publishedAt!)).to.equal(publishedAt(2));
        expect(Date.parse(history[2]!.publishedAt!)).to.equal(publishedAt(1));
        expect(Date.parse(history[2]!.publishedAt!)).to.be.at.least(Date.parse(history[2]!.createdAt));
        expect((await d.show(2)).publishedAt).to.equal(history[1]!.publishedAt);
        await d.unpublish();
        expect((await d.show(2)).publishedAt, 'unpublishing keeps when it was published').to.equal(history[1]!.publishedAt);
        await t.reindex(site);
        expect((await d.log()).items.map((v) => [v.number, v.publishedAt])).to.deep.equal(history.map((v) => [v.number, v.publishedAt]));
      });

      it('rolls back with a new version, optionally publishing', async () => {
        const d = store.site(site).doc('page', 'about');
        await d.save({ content: { v: 'one' } });
        await d.save({ content: { v: 'two' } });
        const r = await d.rollback(1, { message: 'Back to one', publish: true });
        expect(r).to.include({ number: 3, kind: 'rollback', isCurrentPublished: true });
        expect((await d.show('draft')).content).to.deep.equal({ v: 'one' });
        expect((await d.show(3)).blob).to.equal((await d.show(1)).blob);
        expect((await d.log()).items.map((v) => v.number)).to.deep.equal([3, 2, 1]);
      });

      it('archives and brings back with a save', async () => {
        const d = store.site(site).doc('page', 'old');
        await d.save({ content: { x: 1 } });
        await d.publish();
        await d.archive();
        const listed = await store.site(site).docs({ type: 'page', q: 'old' });
        expect(listed.items[0]).to.include({ key: 'old', archived: true });
        expect(listed.items[0]!.publishedVersion).to.equal(undefined);
        expect(() => git(t.repoDir(site), 'show', 'main:page/old/en.json')).to.throw();
        await d.save({ content: { x: 2 } });
        expect((await store.site(site).docs({ type: 'page', q: 'old' })).items[0]).to.include({ archived: false });
      });
    });

    describe('branches', () => {
      it('creates a branch, saves on it without touching main, deletes it', async () => {
        const s = store.site(site);
        const d = s.doc('post', 'branchy');
        await d.save({ content: { on: 'main' } });
        const b = await s.createBranch('redesign');
        expect(b.name).to.equal('redesign');
        await rejects(s.createBranch('redesign'), ConflictError);
        const v = await d.save({ content: { on: 'redesign' }, branch: 'redesign' });
        expect(v).to.include({ branch: 'redesign', number: 2, isCurrentDraft: false });
        expect((await d.show('draft')).content).to.deep.equal({ on: 'main' });
        expect((await d.show('redesign')).content).to.deep.equal({ on: 'redesign' });
        expect((await d.log({ branch: 'redesign' })).items.map((x) => x.number)).to.deep.equal([2]);
        // A filter that matches nothing is an empty page of an existing document, not a 404.
        expect((await d.log({ kind: 'merge' })).items).to.deep.equal([]);
        expect((await s.branches()).map((x) => x.name)).to.include.members(['main', 'redesign']);
        await rejects(d.save({ content: { a: 1 }, branch: 'nope' }), NotFoundError);
        await s.deleteBranch('redesign');
        expect((await s.branches()).map((x) => x.name)).to.not.include('redesign');
        await rejects(s.deleteBranch('main'), ValidationError);
        expect((await d.show(2)).content).to.deep.equal({ on: 'redesign' });
      });
    });

    describe('documents and events', () => {
      it('lists documents with filters and pages', async () => {
        const s = store.site(site);
        for (const k of ['la', 'lb', 'lc', 'ld']) await s.doc('listing', k).save({ content: { k } });
        const p1 = await s.docs({ type: 'listing', limit: 3 });
        expect(p1.items.map((x) => x.key)).to.deep.equal(['la', 'lb', 'lc']);
        const p2 = await s.docs({ type: 'listing', limit: 3, cursor: p1.next });
        expect(p2.items.map((x) => x.key)).to.deep.equal(['ld']);
        expect((await s.docs({ locale: 'fr' })).items.every((x) => x.locale === 'fr')).to.equal(true);
      });

      it('appends a change event for every write, in order', async () => {
        const s = store.site(site);
        const first = await s.events({ limit: 1000 });
        const lastId = first.items[first.items.length - 1]?.id;
        await s.doc('post', 'evented').save({ content: { a: 1 } });
        await s.doc('post', 'evented').publish();
        const after = await s.events({ after: lastId });
        expect(after.items.map((e) => e.action)).to.deep.equal(['version.create', 'version.publish']);
        expect(after.items[0]).to.include({ type: 'post', key: 'evented', versionNumber: 1 });
        expect(after.items[0]!.hlc < after.items[1]!.hlc || after.items[0]!.id < after.items[1]!.id).to.equal(true);
        // Every write ticks the clock: no two events share an HLC, even within one millisecond.
        await Promise.all(['e1', 'e2', 'e3', 'e4'].map((k) => s.doc('post', k).save({ content: { k } })));
        const all = (await s.events({ limit: 1000 })).items;
        expect(new Set(all.map((e) => e.hlc)).size).to.equal(all.length);
      });
    });

    describe('tags, comments, previews', () => {
      it('tags a version with an annotated Git tag', async () => {
        const d = store.site(site).doc('prd', 'payments');
        await d.save({ content: '# Payments v1\n', format: 'markdown' });
        const v2 = await d.save({ content: '# Payments v2\n' });
        const tg = await d.tag(1, '1.0.0', { message: 'First release' });
        expect(tg).to.include({ name: '1.0.0', versionNumber: 1, ref: 'refs/tags/prd/payments/en/v1.0.0', message: 'First release' });
        await d.tag('draft', '1.1.0-rc.1');
        await rejects(d.tag(2, '1.0.0'), ConflictError, 'conflict');
        for (const bad of ['1.0', 'v1.0.0', '1.0.0-01', '1.0.0-a..b', '../1.0.0']) await rejects(d.tag(2, bad), ValidationError, 'invalid_input');
        const repo = t.repoDir(site);
        expect(git(repo, 'cat-file', '-t', 'refs/tags/prd/payments/en/v1.0.0').trim()).to.equal('tag');
        expect(git(repo, 'rev-parse', 'refs/tags/prd/payments/en/v1.1.0-rc.1^{commit}').trim()).to.equal(v2.commit);
        expect(git(repo, 'tag', '-l', '--format=%(contents)', 'prd/payments/en/v1.0.0').trim()).to.equal('First release');
      });

      it('keeps threaded review comments on a version', async () => {
        const d = store.site(site).doc('prompt', 'reviewed');
        await d.save({ content: 'line one\nline two\n' });
        const c = await d.comment(1, { body: 'Tighten line two', author: { name: 'Rev', email: 'rev@example.com' }, type: 'change_request', anchor: { startLine: 2, endLine: 2 } });
        expect(c).to.include({ versionNumber: 1, type: 'change_request', body: 'Tighten line two' });
        const reply = await d.comment('draft', { body: 'Done', author: 'Ada', parentId: c.id });
        expect(reply.parentId).to.equal(c.id);
        const list = await d.comments(1);
        expect(list.map((x) => x.body)).to.deep.equal(['Tighten line two', 'Done']);
        expect(list[0]!.anchor).to.deep.equal({ startLine: 2, endLine: 2 });
        await rejects(d.comment(1, { body: '', author: 'x' }), ValidationError);
        await rejects(d.comment(1, { body: 'x', author: 'x', anchor: { startLine: 3, endLine: 1 } }), ValidationError);
        await rejects(d.comment(1, { body: 'x', author: 'x', parentId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }), ValidationError);
        await d.save({ content: 'line one\nline 2\n' });
        expect(await d.comments(2)).to.deep.equal([]);
      });

      it('previews a version with a token that expires and runs out of uses', async () => {
        const d = store.site(site).doc('page', 'previewed');
        await d.save({ content: { title: 'Draft one' } });
        const p = await d.preview(1, { maxUses: 2, domain: 'acme.test' });
        expect(p.token).to.match(/^[A-Za-z0-9_-]{43}$/);
        expect(p.url).to.contain(p.token);
        // Bound to acme.test: it opens only there (review.ts covers the refusals).
        const view = await store.site(site).resolvePreview(p.token, { host: 'acme.test' });
        expect(view).to.include({ site, type: 'page', key: 'previewed', locale: 'en' });
        expect(view.content).to.deep.equal({ title: 'Draft one' });
        await store.site(site).resolvePreview(p.token, { host: 'acme.test' });
        await rejects(store.site(site).resolvePreview(p.token, { host: 'acme.test' }), PreviewExpiredError, 'preview_expired');
        const live = await d.preview('draft');
        await d.save({ content: { title: 'Draft two' } });
        expect((await store.site(site).resolvePreview(live.token)).content).to.deep.equal({ title: 'Draft two' });
        await rejects(store.site(site).resolvePreview('x'.repeat(43)), NotFoundError, 'not_found');
        await rejects(d.preview(1, { domain: 'evil.test' }), ValidationError);
        await rejects(d.preview(1, { expiresIn: 0 }), ValidationError);
      });
    });

    reviewConformance(() => t, site);

    describe('merge', () => {
      it('merges a branch into main as new versions, and refuses conflicts', async () => {
        const s = store.site(site);
        const a = s.doc('merge', 'a');
        const b = s.doc('merge', 'b');
        await a.save({ content: { v: 'a1' } });
        await b.save({ content: { v: 'b1' } });
        await s.createBranch('q3-pricing');
        await a.save({ content: { v: 'a2-branch' }, branch: 'q3-pricing' });
        await s.doc('merge', 'c').save({ content: { v: 'c-branch' }, branch: 'q3-pricing' });
        await b.save({ content: { v: 'b2-main' } });
        const r = await s.merge('q3-pricing', { message: 'Ship Q3 pricing', author: { name: 'Ada' } });
        expect(r).to.include({ branch: 'main', fastForward: false });
        expect(r.conflicts).to.deep.equal([]);
        expect(r.versions.map((v) => `${v.key}@${v.number}:${v.kind}`).sort()).to.deep.equal(['a@3:merge', 'c@2:merge']);
        expect((await a.show('draft')).content).to.deep.equal({ v: 'a2-branch' });
        expect((await b.show('draft')).content).to.deep.equal({ v: 'b2-main' });
        expect((await s.doc('merge', 'c').show('draft')).content).to.deep.equal({ v: 'c-branch' });
        expect(git(t.repoDir(site), 'rev-list', '--parents', '-1', r.commit!).trim().split(' ')).to.have.length(3);
        const again = await s.merge('q3-pricing');
        expect(again.versions).to.deep.equal([]);
        await a.save({ content: { v: 'a4-main' } });
        await a.save({ content: { v: 'a-branch-again' }, branch: 'q3-pricing' });
        const err = await rejects(s.merge('q3-pricing'), ConflictError, 'conflict');
        expect((err as unknown as { data: { conflicts: unknown[] } }).data.conflicts).to.deep.equal([{ doc: 'merge/a/en', path: '/v', base: 'a2-branch', ours: 'a4-main', theirs: 'a-branch-again' }]);
        expect((await a.show('draft')).content).to.deep.equal({ v: 'a4-main' });
        await rejects(s.merge('nope'), NotFoundError);
        await rejects(s.merge('main'), ValidationError);
      });
    });

    integrationSection(() => store, site);
    mergeConformance(() => t, site);

    describe('concurrency and Git integrity', () => {
      it('20 parallel saves to one document get 20 distinct numbers, all in Git', async () => {
        const d = store.site(site).doc('post', 'race');
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => d.save({ content: { i } })));
        const numbers = results.map((v) => v.number).sort((a, b) => a - b);
        expect(numbers).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(new Set(results.map((v) => v.commit)).size).to.equal(20);
        const log = await d.log({ limit: 50 });
        expect(log.items).to.have.length(20);
        {
          const reachable = new Set(git(t.repoDir(site), 'rev-list', 'main').trim().split('\n'));
          for (const v of results) expect(reachable.has(v.commit), v.commit).to.equal(true);
        }
      });

      it('leaves a repository that git fsck --strict finds clean', async () => {
        gitFsckStrict(t.repoDir(site));
      });
    });
  });
}
