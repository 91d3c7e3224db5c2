/**
 * A save's format is decided by the document once it exists. A JSON object or a declared format
 * is checked against the document under its row lock (lib/ops/save.ts reads the document first
 * only for an undeclared string): a clash is refused with invalid_input and writes nothing, and a
 * text document keeps text that looks like JSON as text.
 */
import { expect } from 'chai';
import { git } from '../../helpers/gitCli.js';
import { databaseTargets } from '../../helpers/databases.js';
import { useFreshStore } from '../../helpers/storeFixture.js';

const refusal = async (p: Promise<unknown>) => p.then(() => 'saved', (err: { code?: string; message?: string }) => `${err.code}: ${err.message}`);

for (const target of databaseTargets()) {
  describe(`a document keeps its format on ${target}`, function () {
    this.timeout(60_000);
    const f = useFreshStore(target);

    it('refuses a declared format or an object that clashes with the document, writing nothing', async () => {
      const site = f.store!.site('acme');
      const page = site.doc('page', 'home');
      const notes = site.doc('note', 'n');
      await page.save({ content: { title: 'Home' } });
      await notes.save({ content: '# Notes\n', format: 'markdown' });
      const head = git(f.store!.repoDir('acme'), 'rev-parse', 'main').trim();
      expect(await refusal(page.save({ content: '# Home\n', format: 'markdown' }))).to.equal('invalid_input: this document is json; a save cannot change it to markdown');
      expect(await refusal(notes.save({ content: { title: 'Notes' } }))).to.equal('invalid_input: content must be a string for format markdown');
      expect(await refusal(notes.save({ content: { title: 'Notes' }, format: 'json' }))).to.equal('invalid_input: this document is markdown; a save cannot change it to json');
      expect(git(f.store!.repoDir('acme'), 'rev-parse', 'main').trim()).to.equal(head);
      expect([(await page.log()).items.length, (await notes.log()).items.length]).to.deep.equal([1, 1]);
    });

    it('keeps text that looks like JSON as text in a text document, and as JSON in a new one', async () => {
      const site = f.store!.site('acme');
      const plain = site.doc('note', 'plain');
      await plain.save({ content: 'hello\n', format: 'text' });
      const v = await plain.save({ content: '{"title": "not a page"}' });
      expect((await plain.show(v.number)).content).to.equal('{"title": "not a page"}');
      const fresh = await site.doc('note', 'fresh').save({ content: '{"title": "a page"}' });
      expect((await site.doc('note', 'fresh').show(fresh.number)).content).to.deep.equal({ title: 'a page' });
      const files = git(f.store!.repoDir('acme'), 'ls-tree', '-r', '--name-only', 'main').trim().split('\n');
      expect(files.filter((p) => p.startsWith('note/'))).to.deep.equal(['note/fresh/en.json', 'note/plain/en.txt']);
    });
  });
}
