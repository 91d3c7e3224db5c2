/** The hybrid logical clock: the seeds' encoding (ms << 16 | counter), exact past 2^53. */
import { expect } from 'chai';
import { createClock, hlcToString } from '../../../lib/clock.js';

describe('hybrid logical clock', () => {
  const MS = 1_795_330_909_371; // 2026-11-22: ms << 16 is about 1.2e17, far past 2^53

  it('counts up within one millisecond, exactly (a JS number would repeat values here)', () => {
    const clock = createClock(() => MS);
    const ticks = Array.from({ length: 5 }, () => clock.tick());
    expect(ticks[0]).to.equal(BigInt(MS) << 16n);
    expect(ticks.map((t) => t - ticks[0]!)).to.deep.equal([0n, 1n, 2n, 3n, 4n]);
    expect(hlcToString(ticks[3]!)).to.equal(`${new Date(MS).toISOString()}#3`);
  });

  it('never goes back when the wall clock does, and stays ahead of what it observed', () => {
    let wall = MS;
    const clock = createClock(() => wall);
    const a = clock.tick();
    wall -= 5_000;
    const b = clock.tick();
    expect(b).to.equal(a + 1n);
    const remote = (BigInt(MS + 60_000) << 16n) + 7n;
    clock.observe(remote);
    expect(clock.tick()).to.equal(remote + 1n);
    wall = MS + 120_000;
    expect(clock.tick()).to.equal(BigInt(wall) << 16n);
  });

  it('carries a full counter into the physical part instead of wrapping', () => {
    const clock = createClock(() => MS);
    let last = clock.tick();
    for (let i = 0; i < 70_000; i++) {
      const next = clock.tick();
      if (next <= last) throw new Error(`tick ${i} went from ${last} to ${next}`);
      last = next;
    }
    expect(last >> 16n).to.equal(BigInt(MS) + 1n);
  });
});
