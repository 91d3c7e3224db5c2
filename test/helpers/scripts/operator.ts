/**
 * One write operation in a child process, for the crash matrix: opens the store (without the
 * start-up reconcile for `push-index`, which IS the reconcile), runs the operation, prints one
 * JSON line when it is acknowledged (`save-hot`: one per save). VERSO_TEST_CRASH_AT kills it at a step on the way.
 * args: dataDir databaseUrl|'-' site op [name]
 */
import { openStore } from '../../../lib/sdk/openStore.js';

const [dataDir, url, siteId, op, name = ''] = process.argv.slice(2) as [string, string, string, string, string?];
const store = await openStore({ dataDir, databaseUrl: url === '-' ? undefined : url, skipReconcile: op === 'push-index' });
const site = store.site(siteId);
const doc = site.doc('post', 'm');
const ops: Record<string, () => Promise<unknown>> = {
  save: () => doc.save({ content: { crash: name }, message: `save ${name}` }),
  rollback: () => doc.rollback(1),
  publish: () => doc.publish(),
  unpublish: () => doc.unpublish(),
  archive: () => site.doc('post', 'gone').archive(),
  merge: () => site.merge('feature'),
  tag: () => doc.tag('draft', name),
  'branch-create': () => site.createBranch(name),
  'branch-delete': () => site.deleteBranch(name),
  'push-index': () => store.reconcile({ site: siteId, repair: true }),
  // Six writers on one document at once (the hot page); each acknowledgement is printed as it comes.
  'save-hot': () =>
    Promise.all(Array.from({ length: 6 }, (_, i) => doc.save({ content: { hot: name, i }, message: `hot ${name} ${i}` }).then((v) => process.stdout.write(JSON.stringify({ op, acked: v.commit }) + '\n')))),
};
const run = ops[op];
if (!run) throw new Error(`unknown op ${op}`);
const result = await run();
process.stdout.write(JSON.stringify({ op, result }) + '\n');
await store.close();
