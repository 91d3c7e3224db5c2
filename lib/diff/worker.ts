/** Entry of a diff worker thread: one task at a time from the pool, answered by message. */
import { parentPort } from 'node:worker_threads';
import { runTask, type DiffTask } from './tasks.js';

// Ready once loaded: the pool starts a task's budget only then (loading under tsx takes a while).
parentPort?.postMessage({ ready: true });
parentPort?.on('message', (task: DiffTask) => {
  try {
    parentPort!.postMessage({ ok: true, value: runTask(task) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
