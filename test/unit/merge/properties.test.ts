/**
 * Properties every driver must have (fast-check): a side that did not change leaves the other
 * side's document as it is, and where there is no conflict the order of the sides does not matter.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { mergeJson } from '../../../lib/merge/json.js';
import { mergeMarkdown } from '../../../lib/merge/markdown.js';
import { mergeText } from '../../../lib/merge/text.js';
import type { DriverInput, DriverResult } from '../../../lib/merge/types.js';

// Small alphabets so generated documents share keys, ids and lines often enough to interact.
const word = fc.constantFrom('a', 'b', 'c', 'd', '');
const jsonLeaf = fc.oneof(fc.integer({ min: 0, max: 3 }), word, fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, jsonLeaf, tie('object'), tie('array'), tie('keyed')),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'x/y'), tie('value'), { maxKeys: 4 }),
  array: fc.array(tie('value'), { maxLength: 4 }),
  keyed: fc.uniqueArray(fc.record({ id: fc.constantFrom('p', 'q', 'r', 's'), v: jsonLeaf }), { selector: (e) => e.id, maxLength: 4 }),
})).value;
const text = fc.array(fc.constantFrom('alpha', 'beta', 'gamma', '', 'delta'), { maxLength: 8 }).map((l) => l.join('\n'));
const markdown = fc
  .array(fc.oneof(fc.constantFrom('# One', '## Two', '## Three', '# One'), fc.constantFrom('x', 'y', 'z', '')), { maxLength: 10 })
  .map((l) => l.join('\n'));

// Each driver is run only on documents of its own arbitrary, so widening the input type is safe.
type Driver = (input: DriverInput<unknown>) => DriverResult<unknown>;
const drivers: Array<[string, Driver, fc.Arbitrary<unknown>]> = [
  ['json', mergeJson, json],
  ['text', mergeText as unknown as Driver, text],
  ['markdown', mergeMarkdown as unknown as Driver, markdown],
];

for (const [name, merge, arb] of drivers) {
  describe(`merge driver properties: ${name}`, () => {
    const run = (base: unknown, ours: unknown, theirs: unknown) => merge({ base, ours, theirs });

    it('merge(base, x, base) = x', () => {
      fc.assert(fc.property(arb, arb, (base, x) => {
        expect(run(base, x, base)).to.deep.equal({ value: x, conflicts: [] });
      }), { numRuns: 300 });
    });

    it('merge(base, base, y) = y', () => {
      fc.assert(fc.property(arb, arb, (base, y) => {
        expect(run(base, base, y)).to.deep.equal({ value: y, conflicts: [] });
      }), { numRuns: 300 });
    });

    it('merge(b, x, y) and merge(b, y, x) agree where there is no conflict', () => {
      let clean = 0;
      fc.assert(fc.property(arb, arb, arb, (b, x, y) => {
        const xy = run(b, x, y);
        const yx = run(b, y, x);
        expect(xy.conflicts.length === 0).to.equal(yx.conflicts.length === 0);
        if (xy.conflicts.length === 0) {
          clean++;
          expect(xy.value).to.deep.equal(yx.value);
        }
      }), { numRuns: 500 });
      // The property must have been exercised, not vacuously true.
      expect(clean).to.be.greaterThan(20);
    });
  });
}
