/**
 * JSON field diffs as an editor reads them (issue 13 item 9): the title first, then the other
 * fields; items of arrays matched by `id` (or `key`) where they have one, by position otherwise.
 * The API's diff (fieldDiff) and the compare page's rows (fieldRows) agree.
 */
import { expect } from 'chai';
import { fieldRows } from '../../../lib/diff/rows.js';
import { fieldDiff } from '../../../lib/ops/fieldDiff.js';

describe('JSON field diffs: order and array matching', () => {
  it('puts the title first, then the other fields', () => {
    const before = { body: 'a', title: 'One', zeta: 1 };
    const after = { body: 'b', title: 'Two', zeta: 2 };
    expect(fieldDiff(before, after).map((c) => c.path)).to.deep.equal(['title', 'body', 'zeta']);
    expect(fieldRows(before, after).map((r) => r.path)).to.deep.equal(['title', 'body', 'zeta']);
  });

  it('matches array items by id: an insertion is one added item, not every later item changed', () => {
    const before = { blocks: [{ id: 'hero', text: 'Hi' }, { id: 'faq', text: 'Q' }] };
    const after = { blocks: [{ id: 'intro', text: 'New' }, { id: 'hero', text: 'Hi!' }, { id: 'faq', text: 'Q' }] };
    expect(fieldDiff(before, after)).to.deep.equal([
      { path: 'blocks[id=intro]', op: 'add', after: { id: 'intro', text: 'New' } },
      { path: 'blocks[id=hero].text', op: 'change', before: 'Hi', after: 'Hi!' },
    ]);
    const rows = fieldRows(before, after).map((r) => [r.path, r.op]);
    expect(rows).to.deep.equal([
      ['blocks[id=intro].id', 'add'],
      ['blocks[id=intro].text', 'add'],
      ['blocks[id=hero].id', 'equal'],
      ['blocks[id=hero].text', 'change'],
      ['blocks[id=faq].id', 'equal'],
      ['blocks[id=faq].text', 'equal'],
    ]);
  });

  it('keeps a removed item where it stood, and uses key when there is no id', () => {
    const before = { plans: [{ key: 'free', price: 0 }, { key: 'pro', price: 9 }, { key: 'team', price: 29 }] };
    const after = { plans: [{ key: 'free', price: 0 }, { key: 'team', price: 25 }] };
    expect(fieldDiff(before, after)).to.deep.equal([
      { path: 'plans[key=pro]', op: 'remove', before: { key: 'pro', price: 9 } },
      { path: 'plans[key=team].price', op: 'change', before: 29, after: 25 },
    ]);
  });

  it('falls back to positions when ids are missing or repeated', () => {
    const before = { items: [{ id: 'a', v: 1 }, { id: 'a', v: 2 }] };
    const after = { items: [{ id: 'a', v: 1 }, { id: 'a', v: 3 }] };
    expect(fieldDiff(before, after).map((c) => c.path)).to.deep.equal(['items[1].v']);
    expect(fieldDiff({ tags: ['x', 'y'] }, { tags: ['y'] }).map((c) => [c.path, c.op])).to.deep.equal([
      ['tags[0]', 'change'],
      ['tags[1]', 'remove'],
    ]);
  });
});
