/**
 * Full-text search, written once against the public interface and run embedded (PGlite,
 * PostgreSQL) and remote (over the gateway): stemming per locale, title weight, markdown and
 * JSON extraction, states, history, reindex, HTML-escaped snippets, pagination, bad input.
 */
import { expect } from 'chai';
import { ValidationError } from '../../lib/errors/index.js';
import type { SearchHit, Store } from '../../lib/types.js';

export interface SearchStoreUnderTest {
  store: Store;
  /** Rebuilds the index from Git (embedded only: the operator's command). */
  reindex?: (site: string) => Promise<unknown>;
  cleanup(): Promise<void>;
}

const docsOf = (hits: SearchHit[]) => hits.map((h) => `${h.doc.type}/${h.doc.key}/${h.doc.locale}@${h.versionNumber}`);

export function searchSuite(label: string, make: () => Promise<SearchStoreUnderTest>): void {
  describe(`search: ${label}`, function () {
    this.timeout(120_000);
    let t: SearchStoreUnderTest;
    let store: Store;
    const site = () => store.site('lex');

    before(async function () {
      t = await make();
      store = t.store;
      await store.createSite({ id: 'lex', name: 'Lex', locales: ['en', 'fr', 'de', 'ja'] });
      const s = site();
      await s.doc('post', 'morning').save({ content: { title: 'Habits', body: 'She runs every morning before work.' } });
      await s.doc('post', 'chevaux', 'fr').save({ content: { title: 'Écurie', body: 'Les chevaux galopent dans le pré.' } });
      await s.doc('post', 'haus', 'de').save({ content: { title: 'Bauen', body: 'Die Häuser sind alt.' } });
      await s.doc('post', 'tokyo', 'ja').save({ content: 'running club notes', format: 'text' });
    });
    after(async () => t && (await t.cleanup()));

    it('stems by the document\'s locale: "running" finds "runs" in English', async function () {
      const { items } = await site().search('running');
      expect(docsOf(items)).to.include('post/morning/en@1');
      expect(items[0]!.snippet).to.match(/<mark>runs<\/mark>/);
    });

    it('uses each locale\'s configuration: French and German stems, simple for a locale without one', async function () {
      expect(docsOf((await site().search('cheval')).items)).to.deep.equal(['post/chevaux/fr@1']);
      expect(docsOf((await site().search('Haus', { locale: 'de' })).items)).to.deep.equal(['post/haus/de@1']);
      // ja has no snowball configuration: 'simple' keeps words as written, so "run" is no match there.
      const run = docsOf((await site().search('run')).items);
      expect(run).to.include('post/morning/en@1');
      expect(run).to.not.include('post/tokyo/ja@1');
      expect(docsOf((await site().search('running', { locale: 'ja' })).items)).to.deep.equal(['post/tokyo/ja@1']);
    });

    it('ranks a match in a title-like field above one in the body', async function () {
      const s = site();
      await s.doc('note', 'in-body').save({ content: { title: 'Other', text: 'A word about lighthouses here.' } });
      await s.doc('note', 'in-title').save({ content: { title: 'Lighthouses', text: 'Something else entirely.' } });
      const { items } = await s.search('lighthouse', { type: 'note' });
      expect(docsOf(items)).to.deep.equal(['note/in-title/en@1', 'note/in-body/en@1']);
      expect(items[0]!.rank).to.be.greaterThan(items[1]!.rank);
    });

    it('indexes markdown without its syntax: link text yes, link targets no', async function () {
      await site().doc('guide', 'md').save({ content: '# Setup guide\n\nRead the **manual** at [the handbook](https://example.com/zanzibarpath).\n', format: 'markdown' });
      expect(docsOf((await site().search('handbook')).items)).to.deep.equal(['guide/md/en@1']);
      expect(docsOf((await site().search('manual')).items)).to.deep.equal(['guide/md/en@1']);
      expect((await site().search('zanzibarpath')).items).to.deep.equal([]);
    });

    it('searches the current drafts by default, published versions with state, every version with history', async function () {
      const doc = site().doc('page', 'airship');
      await doc.save({ content: { title: 'Flight', body: 'The zeppelin rose slowly.' } });
      await doc.publish();
      await doc.save({ content: { title: 'Flight', body: 'The balloon rose slowly.' } });
      expect((await site().search('zeppelin')).items).to.deep.equal([]);
      expect(docsOf((await site().search('zeppelin', { state: 'published' })).items)).to.deep.equal(['page/airship/en@1']);
      const history = await site().search('zeppelin', { history: true });
      expect(docsOf(history.items)).to.deep.equal(['page/airship/en@1']);
      expect(history.items[0]!.doc).to.include({ draftVersion: 2, publishedVersion: 1 });
      expect(docsOf((await site().search('balloon', { history: true })).items)).to.deep.equal(['page/airship/en@2']);
      if (t.reindex) {
        await t.reindex('lex');
        expect(docsOf((await site().search('zeppelin', { history: true })).items)).to.deep.equal(['page/airship/en@1']);
        expect(docsOf((await site().search('running')).items)).to.include('post/morning/en@1');
      }
    });

    it('HTML-escapes snippets except for the <mark> around matches', async function () {
      await site().doc('page', 'html').save({ content: { body: 'Tom & Jerry <3 "quoted" tokens <script>alert(1)</script> and a marmalade jar' } });
      const [hit] = (await site().search('marmalade')).items;
      expect(hit!.snippet).to.include('<mark>marmalade</mark>');
      expect(hit!.snippet).to.include('Tom &amp; Jerry &lt;3 &quot;quoted&quot;');
      expect(hit!.snippet.replace(/<\/?mark>/g, '')).to.not.match(/[<>"]/);
    });

    it('pages with a cursor, without repeats', async function () {
      for (let i = 0; i < 7; i++) await site().doc('item', `n-${i}`).save({ content: { body: `walrus number ${i}` } });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await site().search('walrus', { limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...docsOf(page.items));
        cursor = page.next;
        pages++;
      } while (cursor);
      expect(pages).to.equal(3);
      expect(new Set(seen).size).to.equal(7);
    });

    it('refuses bad input before searching', async function () {
      for (const [q, opts] of [['', {}], ['x'.repeat(501), {}], ['walrus', { state: 'live' }], ['walrus', { limit: 0 }], ['walrus', { history: true, state: 'published' }], ['walrus', { locale: 'EN_us' }]] as const) {
        const err = await site().search(q, opts as never).catch((e: unknown) => e);
        expect(err, JSON.stringify([q.slice(0, 10), opts])).to.be.instanceOf(ValidationError);
      }
    });
  });
}
