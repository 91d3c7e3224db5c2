/**
 * The set-up most engine tests share: a fresh database and data dir, an embedded store on it and
 * one site, opened before each test (or once for the suite) and closed and removed after.
 * Tests that close and reopen the store assign `fixture.store` themselves.
 */
import { openStore } from '../../lib/sdk/openStore.js';
import type { OpenStoreOptions } from '../../lib/sdk/openStore.js';
import type { CreateSiteInput, EmbeddedStore } from '../../lib/types.js';
import { expect } from 'chai';
import { freshDatabase, type DatabaseTarget, type TestDatabase } from './databases.js';
import { duplicateEvents, snapshotIndex, type IndexSnapshot } from './indexSnapshot.js';

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

/** Closes the fixture's store, rebuilds the site's index from Git in a store of its own, and reads the result. */
export async function reindexedSnapshot(f: StoreFixture, site = 'acme'): Promise<IndexSnapshot> {
  await f.store?.close();
  f.store = undefined;
  const store = await f.open();
  try {
    await store.reindex({ site });
  } finally {
    await store.close();
  }
  return snapshotIndex(f.db);
}

/** What a rebuild from Git must leave as it found it: versions, documents, events, none twice. */
export function expectRebuiltEqual(rebuilt: IndexSnapshot, kept: IndexSnapshot, label?: string): void {
  expect(rebuilt.versions, label).to.deep.equal(kept.versions);
  expect(rebuilt.documents, label).to.deep.equal(kept.documents);
  expect(rebuilt.events, label).to.deep.equal(kept.events);
  expect(duplicateEvents(rebuilt), label).to.deep.equal([]);
}
