/** The JSON merge driver: per field, arrays by identity or position, conflicts as JSON Pointers. */
import { expect } from 'chai';
import { mergeJson } from '../../../lib/merge/json.js';

describe('merge driver: json', () => {
  it('merges edits to different fields of one object', () => {
    const base = { hero: { title: 'Hi', subtitle: 'Sub' }, price: 10 };
    const r = mergeJson({ base, ours: { ...base, hero: { title: 'Hello', subtitle: 'Sub' } }, theirs: { ...base, price: 12 } });
    expect(r.conflicts).to.deep.equal([]);
    expect(r.value).to.deep.equal({ hero: { title: 'Hello', subtitle: 'Sub' }, price: 12 });
  });

  it('names a field both sides changed differently with base, ours and theirs', () => {
    const r = mergeJson({ base: { hero: { title: 'Hi' } }, ours: { hero: { title: 'Ours' } }, theirs: { hero: { title: 'Theirs' } } });
    expect(r.conflicts).to.deep.equal([{ path: '/hero/title', base: 'Hi', ours: 'Ours', theirs: 'Theirs' }]);
    expect(r.value).to.deep.equal({ hero: { title: 'Ours' } });
  });

  it('does not count the same change on both sides as a conflict', () => {
    const r = mergeJson({ base: { a: 1, b: [1, 2] }, ours: { a: 2, b: [1, 2, 3] }, theirs: { a: 2, b: [1, 2, 3] } });
    expect(r.conflicts).to.deep.equal([]);
    expect(r.value).to.deep.equal({ a: 2, b: [1, 2, 3] });
  });

  it('escapes ~ and / in pointer tokens (RFC 6901)', () => {
    const r = mergeJson({ base: { 'a/b': { '~c': 0 } }, ours: { 'a/b': { '~c': 1 } }, theirs: { 'a/b': { '~c': 2 } } });
    expect(r.conflicts.map((c) => c.path)).to.deep.equal(['/a~1b/~0c']);
  });

  it('merges a removed key with an edit elsewhere, and refuses a removal against an edit', () => {
    const base = { a: 1, b: 2, c: 3 };
    expect(mergeJson({ base, ours: { a: 1, c: 3 }, theirs: { a: 1, b: 2, c: 4 } }).value).to.deep.equal({ a: 1, c: 4 });
    const r = mergeJson({ base, ours: { a: 1, c: 3 }, theirs: { a: 1, b: 5, c: 3 } });
    expect(r.conflicts).to.deep.equal([{ path: '/b', base: 2, ours: undefined, theirs: 5 }]);
  });

  it('merges arrays of elements with an id by identity, not position', () => {
    const base = { plans: [{ id: 'a', price: 1 }, { id: 'b', price: 2 }] };
    const ours = { plans: [{ id: 'z', price: 0 }, { id: 'a', price: 1 }, { id: 'b', price: 20 }] };
    const theirs = { plans: [{ id: 'a', price: 10 }, { id: 'b', price: 2 }, { id: 'c', price: 3 }] };
    const r = mergeJson({ base, ours, theirs });
    expect(r.conflicts).to.deep.equal([]);
    expect(r.value).to.deep.equal({ plans: [{ id: 'z', price: 0 }, { id: 'a', price: 10 }, { id: 'b', price: 20 }, { id: 'c', price: 3 }] });
  });

  it('names a keyed element by its index on our side', () => {
    const base = { plans: [{ _key: 'a', price: 1 }, { _key: 'b', price: 2 }] };
    const ours = { plans: [{ _key: 'x' }, { _key: 'a', price: 1 }, { _key: 'b', price: 3 }] };
    const theirs = { plans: [{ _key: 'a', price: 1 }, { _key: 'b', price: 4 }] };
    expect(mergeJson({ base, ours, theirs }).conflicts).to.deep.equal([{ path: '/plans/2/price', base: 2, ours: 3, theirs: 4 }]);
  });

  it('takes the one side that reordered keyed elements, and flags two different reorders', () => {
    const e = (id: string) => ({ key: id });
    const base = { l: [e('a'), e('b'), e('c')] };
    expect(mergeJson({ base, ours: { l: [e('c'), e('b'), e('a')] }, theirs: base }).value).to.deep.equal({ l: [e('c'), e('b'), e('a')] });
    const r = mergeJson({ base, ours: { l: [e('c'), e('a'), e('b')] }, theirs: { l: [e('b'), e('a'), e('c')] } });
    expect(r.conflicts.map((c) => c.path)).to.deep.equal(['/l']);
  });

  it('merges arrays without identity by position; one index changed on both sides is a conflict', () => {
    const base = { tags: ['a', 'b', 'c'] };
    expect(mergeJson({ base, ours: { tags: ['A', 'b', 'c'] }, theirs: { tags: ['a', 'b', 'C'] } }).value).to.deep.equal({ tags: ['A', 'b', 'C'] });
    const r = mergeJson({ base, ours: { tags: ['a', 'x', 'c'] }, theirs: { tags: ['a', 'y', 'c'] } });
    expect(r.conflicts).to.deep.equal([{ path: '/tags/1', base: 'b', ours: 'x', theirs: 'y' }]);
    // Appends on both sides land on the same index.
    expect(mergeJson({ base, ours: { tags: ['a', 'b', 'c', 'd'] }, theirs: { tags: ['a', 'b', 'c', 'e'] } }).conflicts.map((c) => c.path)).to.deep.equal(['/tags/3']);
  });

  it('does not recurse into an object at an index both sides changed (a shift could pair different elements)', () => {
    const base = { rows: [{ t: 1, u: 1 }] };
    const r = mergeJson({ base, ours: { rows: [{ t: 2, u: 1 }] }, theirs: { rows: [{ t: 1, u: 2 }] } });
    expect(r.conflicts.map((c) => c.path)).to.deep.equal(['/rows/0']);
  });

  it('settles conflicts through the resolver: take a side, or a value (undefined removes the field)', () => {
    const base = { a: 1, b: 1, c: 1 };
    const ours = { a: 2, b: 2, c: 2 };
    const theirs = { a: 3, b: 3, c: 3 };
    const r = mergeJson({
      base, ours, theirs,
      resolve: (c) => (c.path === '/a' ? { take: 'theirs' } : c.path === '/b' ? { value: 42 } : c.path === '/c' ? { value: undefined } : undefined),
    });
    expect(r.conflicts).to.deep.equal([]);
    expect(r.value).to.deep.equal({ a: 3, b: 42 });
  });

  it('treats a document added on both sides (no base) as a conflict on the root only where it differs', () => {
    const r = mergeJson({ base: undefined, ours: { a: 1, b: 1 }, theirs: { a: 1, b: 2 } });
    expect(r.conflicts).to.deep.equal([{ path: '/b', base: undefined, ours: 1, theirs: 2 }]);
    expect(mergeJson({ base: undefined, ours: 'x', theirs: 'y' }).conflicts.map((c) => c.path)).to.deep.equal(['']);
  });
});
