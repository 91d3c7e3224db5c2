/**
 * The set-up most engine tests share: a fresh database and data dir, an embedded store on it and
 * one site, opened before each test (or once for the suite) and closed and removed after.
 * Tests that close and reopen the store assign `fixture.store` themselves.
 */
import { openStore } from '../../lib/sdk/openStore.js';
import type { OpenStoreOptions } from '../../lib/sdk/openStore.js';
import type { CreateSiteInput, EmbeddedStore } from '../../lib/types.js';
import { freshDatabase, type DatabaseTarget, type TestDatabase } from './databases.js';

export interface StoreFixture {
  /** Set by the hook before the first test. */
  db: TestDatabase;
  /** The open store; undefined once a test closed it without reopening. */
  store: EmbeddedStore | undefined;
  /** Opens another store on the same data dir and database. */
  open(o?: Omit<OpenStoreOptions, 'dataDir' | 'databaseUrl'>): Promise<EmbeddedStore>;
}

export function useFreshStore(target: DatabaseTarget, opts: { per?: 'test' | 'suite'; site?: CreateSiteInput } = {}): StoreFixture {
  const site = opts.site ?? { id: 'acme', name: 'Acme', locales: ['en'] };
  const f = {
    store: undefined,
    open: (o = {}) => openStore({ ...o, dataDir: f.db.dataDir, databaseUrl: f.db.databaseUrl }),
  } as StoreFixture;
  const setUp = async () => {
    f.db = await freshDatabase(target);
    f.store = await f.open();
    await f.store.createSite(site);
  };
  const tearDown = async () => {
    await f.store?.close();
    f.store = undefined;
    await f.db?.cleanup();
  };
  if (opts.per === 'suite') {
    before(setUp);
    after(tearDown);
  } else {
    beforeEach(setUp);
    afterEach(tearDown);
  }
  return f;
}
