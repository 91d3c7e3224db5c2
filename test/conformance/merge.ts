/**
 * Conformance section: three-way merge per field / section / line, conflict policies and
 * SiteHandle.update. Run by suite.ts against every store (embedded on both databases, remote).
 */
import { expect } from 'chai';
import { ConflictError, ValidationError } from '../../lib/errors/index.js';
import type { MergeConflict, Store } from '../../lib/types.js';
import { git } from '../helpers/gitCli.js';

interface Under {
  store: Store;
  repoDir: (site: string) => string;
}

async function rejects<T>(p: Promise<unknown>, cls: new (...a: never[]) => T, code: string): Promise<T> {
  try {
    await p;
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(cls);
    expect((err as { code: string }).code).to.equal(code);
    return err as T;
  }
  throw new Error(`expected a ${cls.name}, but the call succeeded`);
}

const conflictsOf = (err: unknown): MergeConflict[] => (err as { data: { conflicts: MergeConflict[] } }).data.conflicts;

export function mergeConformance(get: () => Under, site: string): void {
  describe('merge per field, per section, per line', () => {
    const s = () => get().store.site(site);
    const page = { hero: { title: 'Welcome', subtitle: 'Plain pages' }, plans: [{ id: 'free', price: 0 }, { id: 'pro', price: 10 }] };

    it('merges a JSON page edited on two branches in different fields into one version holding both edits', async () => {
      const d = s().doc('mpage', 'home');
      await d.save({ content: page });
      await s().createBranch('m-fields');
      await d.save({ content: { ...page, hero: { ...page.hero, title: 'Welcome home' } }, branch: 'm-fields' });
      await d.save({ content: { ...page, plans: [{ id: 'free', price: 0 }, { id: 'pro', price: 12 }] } });
      const r = await s().merge('m-fields', { message: 'Merge the new title' });
      expect(r).to.include({ branch: 'main', fastForward: false, dryRun: false });
      expect(r.conflicts).to.deep.equal([]);
      expect(r.versions.map((v) => `${v.type}/${v.key}@${v.number}:${v.kind}`)).to.deep.equal(['mpage/home@4:merge']);
      expect(r.documents).to.deep.equal([{ doc: 'mpage/home/en', format: 'json', status: 'merged', policy: 'manual', conflicts: 0 }]);
      const both = { hero: { title: 'Welcome home', subtitle: 'Plain pages' }, plans: [{ id: 'free', price: 0 }, { id: 'pro', price: 12 }] };
      expect((await d.show('draft')).content).to.deep.equal(both);
      // Git holds the merged bytes under the merge commit, whose second parent is the branch.
      const repo = get().repoDir(site);
      expect(git(repo, 'rev-list', '--parents', '-1', r.commit!).trim().split(' ')[2]).to.equal(git(repo, 'rev-parse', 'm-fields').trim());
      expect(JSON.parse(git(repo, 'show', `${r.commit}:mpage/home/en.json`))).to.deep.equal(both);
    });

    it('answers the same field edited on both sides with a conflict naming /that/field, writing nothing, then merges it with a resolution', async () => {
      const d = s().doc('mpage', 'about');
      await d.save({ content: page });
      await s().createBranch('m-same');
      await d.save({ content: { ...page, hero: { ...page.hero, title: 'Theirs' }, plans: [{ id: 'free', price: 1 }, { id: 'pro', price: 10 }] }, branch: 'm-same' });
      await d.save({ content: { ...page, hero: { ...page.hero, title: 'Ours' } } });
      const head = git(get().repoDir(site), 'rev-parse', 'main').trim();

      const err = await rejects(s().merge('m-same'), ConflictError, 'conflict');
      expect(conflictsOf(err)).to.deep.equal([{ doc: 'mpage/about/en', path: '/hero/title', base: 'Welcome', ours: 'Ours', theirs: 'Theirs' }]);
      expect(git(get().repoDir(site), 'rev-parse', 'main').trim()).to.equal(head);
      expect((await d.log()).items.map((v) => v.number)).to.deep.equal([3, 2, 1]);

      const dry = await s().merge('m-same', { dryRun: true });
      expect(dry).to.include({ dryRun: true, fastForward: false });
      expect(dry.commit).to.equal(undefined);
      expect(dry.versions).to.deep.equal([]);
      expect(dry.conflicts).to.deep.equal(conflictsOf(err));
      expect(dry.documents).to.deep.equal([{
        doc: 'mpage/about/en', format: 'json', status: 'merged', policy: 'manual', conflicts: 1,
        content: { hero: { title: 'Ours', subtitle: 'Plain pages' }, plans: [{ id: 'free', price: 1 }, { id: 'pro', price: 10 }] },
      }]);
      expect(git(get().repoDir(site), 'rev-parse', 'main').trim()).to.equal(head);

      // A resolution that matches no conflict is refused before anything is written.
      await rejects(s().merge('m-same', { resolutions: [{ doc: 'mpage/about/en', path: '/hero/nope', take: 'theirs' }] }), ValidationError, 'invalid_input');
      await rejects(s().merge('m-same', { resolutions: [{ doc: 'mpage/about/en', path: '/hero/title' }] }), ValidationError, 'invalid_input');
      await rejects(s().merge('m-same', { policy: 'newest' as never }), ValidationError, 'invalid_input');

      const r = await s().merge('m-same', { resolutions: [{ doc: 'mpage/about/en', path: '/hero/title', value: 'Both of us' }] });
      expect(r.versions.map((v) => v.number)).to.deep.equal([4]);
      expect((await d.show('draft')).content).to.deep.equal({ hero: { title: 'Both of us', subtitle: 'Plain pages' }, plans: [{ id: 'free', price: 1 }, { id: 'pro', price: 10 }] });
    });

    it('merges a markdown PRD whose two branches edited different sections cleanly; overlapping edits are #<heading> conflicts', async () => {
      const prd = '# Checkout PRD\n\n## Goals\nFaster checkout.\n\n## Pricing\nFree.\n\n## Risks\nNone yet.\n';
      const d = s().doc('mprd', 'checkout');
      await d.save({ content: prd, format: 'markdown' });
      await s().createBranch('m-prd');
      await d.save({ content: prd.replace('Free.', 'Ten euros a month.'), branch: 'm-prd' });
      await d.save({ content: prd.replace('Faster checkout.', 'Checkout in one click.') });
      const r = await s().merge('m-prd');
      expect(r.documents).to.deep.equal([{ doc: 'mprd/checkout/en', format: 'markdown', status: 'merged', policy: 'manual', conflicts: 0 }]);
      expect((await d.show('draft')).content).to.equal(prd.replace('Free.', 'Ten euros a month.').replace('Faster checkout.', 'Checkout in one click.'));

      await d.save({ content: prd.replace('None yet.', 'Fraud.'), branch: 'm-prd' });
      await d.save({ content: prd.replace('None yet.', 'Latency.') });
      const err = await rejects(s().merge('m-prd'), ConflictError, 'conflict');
      expect(conflictsOf(err).map((c) => [c.doc, c.path, c.ours, c.theirs])).to.deep.equal([['mprd/checkout/en', '#Risks', '## Risks\nLatency.', '## Risks\nFraud.']]);
      await rejects(s().merge('m-prd', { resolutions: [{ doc: 'mprd/checkout/en', path: '#Risks', value: 42 }] }), ValidationError, 'invalid_input');
      await s().merge('m-prd', { resolutions: [{ doc: 'mprd/checkout/en', path: '#Risks', take: 'theirs' }] });
      expect((await d.show('draft')).content).to.equal(prd.replace('None yet.', 'Fraud.'));
    });

    it('names text conflicts `lines a-b`', async () => {
      const d = s().doc('mtext', 'notes');
      await d.save({ content: 'one\ntwo\nthree\n', format: 'text' });
      await s().createBranch('m-text');
      await d.save({ content: 'one\nTWO\nthree\n', branch: 'm-text' });
      await d.save({ content: 'one\n2\nthree\n' });
      const dry = await s().merge('m-text', { dryRun: true });
      expect(dry.conflicts).to.deep.equal([{ doc: 'mtext/notes/en', path: 'lines 2-2', base: 'two', ours: '2', theirs: 'TWO' }]);
    });

    it('lets the newer side win with lww: per merge, or by the site policy of the document type', async () => {
      const d = s().doc('mlww', 'banner');
      await d.save({ content: { text: 'base', color: 'red' } });
      await s().createBranch('m-lww');
      await d.save({ content: { text: 'main', color: 'red' } });
      await d.save({ content: { text: 'branch, later', color: 'blue' }, branch: 'm-lww' });
      await rejects(s().merge('m-lww'), ConflictError, 'conflict');
      const dry = await s().merge('m-lww', { policy: 'lww', dryRun: true });
      expect(dry.conflicts).to.deep.equal([]);
      expect(dry.documents[0]).to.deep.include({ policy: 'lww', conflicts: 1, content: { text: 'branch, later', color: 'blue' } });

      const updated = await s().update({ typePolicies: { mlww: 'lww' } });
      expect(updated).to.deep.include({ conflictPolicy: 'manual', typePolicies: { mlww: 'lww' } });
      // An explicit policy overrides the site's.
      await rejects(s().merge('m-lww', { policy: 'manual' }), ConflictError, 'conflict');
      const r = await s().merge('m-lww');
      expect(r.documents[0]).to.deep.include({ policy: 'lww' });
      expect((await d.show('draft')).content).to.deep.equal({ text: 'branch, later', color: 'blue' });
      // Now main is the newer side of the next conflict.
      await d.save({ content: { text: 'branch again', color: 'blue' }, branch: 'm-lww' });
      await d.save({ content: { text: 'main, latest', color: 'blue' } });
      await s().merge('m-lww');
      expect((await d.show('draft')).content).to.deep.equal({ text: 'main, latest', color: 'blue' });
    });

    it('updates a site: name, locales, domains, conflict policies, refusing bad input before writing', async () => {
      const before = await get().store.getSite(site);
      const u = await s().update({ name: 'Acme Inc', locales: ['en', 'fr', 'de'], domains: ['www.acme.test', 'acme.test'], conflictPolicy: 'lww' });
      expect(u).to.deep.include({ id: site, name: 'Acme Inc', conflictPolicy: 'lww', typePolicies: { mlww: 'lww' } });
      expect(u.locales).to.have.members(['en', 'fr', 'de']);
      expect(u.domains).to.deep.equal(['www.acme.test', 'acme.test']);
      expect(await get().store.getSite(site)).to.deep.equal(u);

      const bad: unknown[] = [
        { nope: 1 }, { name: '' }, { conflictPolicy: 'newest' }, { typePolicies: { Page: 'lww' } }, { typePolicies: { page: 'x' } },
        { locales: ['fr'] }, { locales: ['en', 'EN!'] }, { domains: ['not a host'] },
      ];
      for (const input of bad) await rejects(s().update(input as never), ValidationError, 'invalid_input');
      // Removing the default locale is refused above as invalid; removing one a document uses is a conflict.
      await s().doc('mpage', 'home', 'de').save({ content: { hi: 'hallo' } });
      await rejects(s().update({ locales: ['en', 'fr'] }), ConflictError, 'conflict');
      expect(await get().store.getSite(site)).to.deep.equal(u);

      const back = await s().update({ name: before.name, domains: before.domains, conflictPolicy: 'manual', typePolicies: {} });
      expect(back).to.deep.include({ name: 'Acme', conflictPolicy: 'manual', typePolicies: {}, domains: ['acme.test'] });
    });
  });
}
