/**
 * The crash matrix (issue 8 item 8; DESIGN.md "Writing a version", invariants): every write
 * operation is killed (real SIGKILL) at each step of its write path, the store restarts, and
 * then the index equals what `reindex` builds from Git, `git fsck --strict` is clean, no
 * acknowledged write is missing, and each change event exists exactly once: once when the
 * operation's ref had moved (Git has the write, so recovery completes it), never when it had not.
 *
 * One data dir per database carries the whole matrix (a kill per child process is the unit of
 * cost here, so the steps of all operations share one store and its history).
 */
import { expect } from 'chai';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { EmbeddedStore } from '../../../lib/types.js';
import { runScript } from '../../helpers/child.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';
import { gitFsckStrict } from '../../helpers/gitCli.js';
import { duplicateEvents, snapshotIndex, type IndexSnapshot } from '../../helpers/indexSnapshot.js';
import { plumbCommit } from '../../helpers/plumbing.js';

const OPERATOR = 'test/helpers/scripts/operator.ts';

interface Step {
  /** VERSO_TEST_CRASH_AT */
  at: string;
  /** Events of this action the step adds once the store has restarted (0: the ref never moved). */
  events: Record<string, number>;
}

interface OpCase {
  op: string;
  steps: Step[];
  /** Brings the data dir to where the operation has something to do; returns the op's name arg. */
  prepare?: (store: EmbeddedStore, i: number) => Promise<string | void>;
}

const moved = (action: string, extra: Record<string, number> = {}) => ({ [action]: 1, ...extra });
const none = (action: string) => ({ [action]: 0 });

const CASES: OpCase[] = [
  { op: 'save', steps: [{ at: 'after-blob', events: none('version.create') }, { at: 'after-commit', events: none('version.create') }, { at: 'after-ref', events: moved('version.create') }, { at: 'after-index', events: moved('version.create') }], prepare: async (_s, i) => `s${i}` },
  { op: 'rollback', steps: [{ at: 'after-commit', events: none('version.create') }, { at: 'after-ref', events: moved('version.create') }, { at: 'after-index', events: moved('version.create') }] },
  {
    op: 'publish',
    steps: [{ at: 'after-commit', events: none('version.publish') }, { at: 'after-ref', events: moved('version.publish') }, { at: 'after-index', events: moved('version.publish') }],
    prepare: async (s, i) => void (await s.site('acme').doc('post', 'm').save({ content: { publish: i } })),
  },
  {
    op: 'unpublish',
    steps: [{ at: 'after-commit', events: none('version.unpublish') }, { at: 'after-ref', events: moved('version.unpublish') }, { at: 'after-index', events: moved('version.unpublish') }],
    prepare: async (s) => void (await s.site('acme').doc('post', 'm').publish()),
  },
  {
    op: 'archive',
    // Archive unpublishes first (its own commit on published), then removes the document from main.
    steps: [
      { at: 'after-commit:1', events: { 'version.unpublish': 0, 'document.archive': 0 } },
      { at: 'after-ref:1', events: { 'version.unpublish': 1, 'document.archive': 0 } },
      { at: 'after-commit:2', events: { 'version.unpublish': 1, 'document.archive': 0 } },
      { at: 'after-ref:2', events: { 'version.unpublish': 1, 'document.archive': 1 } },
      { at: 'after-index', events: { 'version.unpublish': 1, 'document.archive': 1 } },
    ],
    prepare: async (s, i) => {
      const gone = s.site('acme').doc('post', 'gone');
      await gone.save({ content: { gone: i } });
      await gone.publish();
    },
  },
  {
    op: 'merge',
    steps: [{ at: 'after-commit', events: { 'branch.merge': 0, 'version.create': 0 } }, { at: 'after-ref', events: { 'branch.merge': 1, 'version.create': 1 } }, { at: 'after-index', events: { 'branch.merge': 1, 'version.create': 1 } }],
    prepare: async (s, i) => void (await s.site('acme').doc('post', 'f').save({ content: { feature: i }, branch: 'feature' })),
  },
  { op: 'tag', steps: [{ at: 'after-commit', events: none('tag.create') }, { at: 'after-ref', events: moved('tag.create') }, { at: 'after-index', events: moved('tag.create') }], prepare: async (_s, i) => `1.0.${i}` },
  { op: 'branch-create', steps: [{ at: 'after-ref', events: moved('branch.create') }, { at: 'after-index', events: moved('branch.create') }], prepare: async (_s, i) => `made-${i}` },
  {
    op: 'branch-delete',
    steps: [{ at: 'after-commit', events: none('branch.delete') }, { at: 'after-ref', events: moved('branch.delete') }, { at: 'after-index', events: moved('branch.delete') }],
    prepare: async (s, i) => {
      await s.site('acme').createBranch(`doomed-${i}`);
      return `doomed-${i}`;
    },
  },
  {
    op: 'push-index',
    // The pushed commit is in Git before indexing starts, so recovery always indexes it.
    steps: [{ at: 'before-index', events: moved('version.create') }, { at: 'after-note', events: moved('version.create') }, { at: 'after-index', events: moved('version.create') }],
    prepare: async (s, i) => {
      plumbCommit(s.repoDir('acme'), { path: 'post/pushed/en.json', content: `{"push": ${i}}\n`, message: `A commit pushed with git ${i}\n` });
    },
  },
];

const count = (s: IndexSnapshot, action: string) => (s.events as Array<{ action: string }>).filter((e) => e.action === action).length;

for (const target of databaseTargets()) {
  describe(`crash matrix on ${target}`, function () {
    this.timeout(600_000);
    let db: TestDatabase;
    let store: EmbeddedStore | undefined;
    const open = () => openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
    /** Commits of versions acknowledged to the parent: none may go missing. */
    const acked = new Set<string>();
    let run = 0;

    before(async () => {
      db = await freshDatabase(target);
      store = await open();
      await store.createSite({ id: 'acme', name: 'Acme', locales: ['en'] });
      const m = store.site('acme').doc('post', 'm');
      acked.add((await m.save({ content: { m: 1 } })).commit);
      await store.site('acme').createBranch('feature');
    });
    after(async () => {
      await store?.close();
      await db.cleanup();
    });

    for (const c of CASES) {
      it(`${c.op}: killed at ${c.steps.map((s) => s.at).join(', ')} — recovery equals reindex, git fsck clean, nothing acknowledged lost, each event once`, async () => {
        for (const step of c.steps) {
          run++;
          store ??= await open();
          const name = (await c.prepare?.(store, run)) ?? '';
          for (const v of (await store.site('acme').doc('post', 'm').log()).items) acked.add(v.commit);
          await store.close();
          store = undefined;
          const before = await snapshotIndex(db);
          const child = await runScript(OPERATOR, [db.dataDir, db.databaseUrl ?? '-', 'acme', c.op, name], { VERSO_TEST_CRASH_AT: step.at });
          expect(child.signal, `${c.op} at ${step.at}: ${child.stderr}`).to.equal('SIGKILL');

          // Restart (start-up recovery), then compare with a rebuild from Git alone.
          await (await open()).close();
          const recovered = await snapshotIndex(db);
          store = await open();
          await store.reindex({ site: 'acme' });
          const fsck = await store.reconcile({ repair: false, full: true });
          expect(fsck.issues.filter((i) => i.kind !== 'stale_lock'), `${c.op} at ${step.at}`).to.deep.equal([]);
          gitFsckStrict(store.repoDir('acme'));
          await store.close();
          store = undefined;
          const rebuilt = await snapshotIndex(db);
          const label = `${c.op} at ${step.at}`;
          expect(rebuilt.versions, label).to.deep.equal(recovered.versions);
          expect(rebuilt.documents, label).to.deep.equal(recovered.documents);
          expect(rebuilt.tags, label).to.deep.equal(recovered.tags);
          expect(rebuilt.branches, label).to.deep.equal(recovered.branches);
          expect(rebuilt.events, `${label}: reindex appends no event`).to.deep.equal(recovered.events);
          expect(duplicateEvents(rebuilt), label).to.deep.equal([]);
          for (const [action, added] of Object.entries(step.events)) {
            expect(count(rebuilt, action) - count(before, action), `${label}: ${action} events added`).to.equal(added);
          }
          const commits = new Set((rebuilt.versions as Array<{ commit_hash: string }>).map((v) => v.commit_hash));
          for (const a of acked) expect(commits.has(a), `${label}: acknowledged ${a}`).to.equal(true);
        }
      });
    }
  });
}
