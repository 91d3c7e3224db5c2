/**
 * The diff workers (lib/diff/pool.ts): a diff never runs on the event loop, stops at its time
 * budget with TooLargeError, can be cancelled while queued or running, and past the edit budget
 * answers a coarse diff that is still a correct patch.
 */
import { expect } from 'chai';
import { applyPatch } from 'diff';
import { createDiffPool, type DiffPool } from '../../../lib/diff/pool.js';
import type { DiffBody } from '../../../lib/diff/tasks.js';
import { TooLargeError } from '../../../lib/errors/index.js';

const lines = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag} line ${i} ${(i * 7919) % 104729}`).join('\n') + '\n';
const unified = (a: string, b: string) => ({ kind: 'diff' as const, format: 'unified' as const, a, b, path: 'page/x/en.txt', from: 1, to: 2, docFormat: 'text' as const });
// Word diffs of two long unrelated texts: even within the edit budget, seconds of work.
const slowWords = () => ({ ...unified(lines('alpha', 40_000).replace(/\n/g, ' '), lines('omega', 40_000).replace(/\n/g, ' ')), format: 'words' as const });

describe('diff worker pool', function () {
  let pool: DiffPool;
  afterEach(async () => pool?.close());

  it('answers an exact unified diff for a small change, with the headers it was given', async () => {
    pool = createDiffPool({ size: 1 });
    const a = lines('same', 50);
    const b = a.replace('same line 10 ', 'changed line 10 ');
    const body = await pool.run<DiffBody>(unified(a, b));
    expect(body.coarse).to.equal(undefined);
    expect(body.stats).to.deep.equal({ additions: 1, deletions: 1 });
    expect(body.unified).to.contain('--- a/page/x/en.txt\tversion 1').and.contain('+++ b/page/x/en.txt\tversion 2');
    expect(applyPatch(a, body.unified!)).to.equal(b);
  });

  it('turns coarse past the edit budget: 20,000 lines that all differ give a correct patch, flagged', async () => {
    pool = createDiffPool({ size: 1 });
    const a = lines('old', 20_000);
    const b = lines('new', 20_000);
    const body = await pool.run<DiffBody>(unified(a, b));
    expect(body.coarse).to.equal(true);
    expect(body.stats).to.deep.equal({ additions: 20_000, deletions: 20_000 });
    expect(applyPatch(a, body.unified!)).to.equal(b);
  });

  it('keeps the event loop free while a worker computes', async () => {
    pool = createDiffPool({ size: 1 });
    const order: string[] = [];
    const big = pool.run<DiffBody>(unified(lines('old', 20_000), lines('new', 20_000))).then(() => order.push('diff'));
    // Ticks of the main thread keep coming while the diff runs in its worker.
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 5);
    await big;
    clearInterval(ticking);
    expect(order).to.deep.equal(['diff']);
    expect(ticks).to.be.greaterThan(3);
  });

  it('stops a diff at its time budget with TooLargeError (reason diff_budget) and keeps serving', async () => {
    pool = createDiffPool({ size: 1, budgetMs: 150 });
    const err = await pool.run(slowWords()).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(TooLargeError);
    expect((err as TooLargeError).data).to.deep.equal({ reason: 'diff_budget', budgetMs: 150 });
    const after = await pool.run<DiffBody>(unified('a\n', 'b\n'));
    expect(after.stats).to.deep.equal({ additions: 1, deletions: 1 });
  });

  it('cancels a running diff and a queued one when their signals abort', async () => {
    pool = createDiffPool({ size: 1, budgetMs: 60_000 });
    const running = new AbortController();
    const queued = new AbortController();
    const first = pool.run(slowWords(), { signal: running.signal }).then(() => 'done', (e: Error) => e.name);
    const second = pool.run(unified('x\n', 'y\n'), { signal: queued.signal }).then(() => 'done', (e: Error) => e.name);
    queued.abort();
    expect(await second).to.equal('AbortError');
    running.abort();
    expect(await first).to.equal('AbortError');
    // The killed worker is replaced.
    const after = await pool.run<DiffBody>(unified('a\n', 'b\n'));
    expect(after.stats.additions).to.equal(1);
  });

  it('refuses work after close', async () => {
    pool = createDiffPool({ size: 1 });
    await pool.close();
    const err = await pool.run(unified('a', 'b')).then(() => undefined, (e: Error) => e.message);
    expect(err).to.equal('the diff pool is closed');
  });
});
