/**
 * Documents list in the order docs/editors.md and docs/sdk.md give (issue 13 item 9): by type,
 * then key in natural order (post-2 before post-10), then locale, across cursor pages.
 */
import { expect } from 'chai';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';

for (const target of databaseTargets()) {
  describe(`documents list order (${target})`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let store: EmbeddedStore;
    before(async () => {
      db = await freshDatabase(target);
      store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en', 'fr'] });
      for (const key of ['post-10', 'post-2', 'post-1', 'post', 'post-2-b', 'a9b', 'post-02x']) await store.site('acme').doc('post', key).save({ content: { title: key } });
      await store.site('acme').doc('post', 'post-2', 'fr').save({ content: { title: 'fr' } });
      await store.site('acme').doc('page', 'z', 'en').save({ content: { title: 'z' } });
    });
    after(async () => {
      await store?.close();
      await db?.cleanup();
    });

    it('sorts keys naturally, page after page', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.site('acme').docs({ limit: 2, cursor });
        seen.push(...page.items.map((d) => `${d.type}/${d.key}/${d.locale}`));
        cursor = page.next;
      } while (cursor);
      expect(seen).to.deep.equal([
        'page/z/en', 'post/a9b/en', 'post/post/en', 'post/post-1/en', 'post/post-2/en', 'post/post-2/fr', 'post/post-2-b/en', 'post/post-02x/en', 'post/post-10/en',
      ]);
    });
  });
}
