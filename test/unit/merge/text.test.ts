/** The text and markdown merge drivers: diff3 over lines; markdown by section first. */
import { expect } from 'chai';
import { mergeMarkdown, parseSections } from '../../../lib/merge/markdown.js';
import { mergeText } from '../../../lib/merge/text.js';

describe('merge driver: text', () => {
  const base = 'one\ntwo\nthree\nfour\nfive\n';

  it('merges edits to different lines', () => {
    const r = mergeText({ base, ours: 'ONE\ntwo\nthree\nfour\nfive\n', theirs: 'one\ntwo\nthree\nfour\nFIVE\n' });
    expect(r).to.deep.equal({ value: 'ONE\ntwo\nthree\nfour\nFIVE\n', conflicts: [] });
  });

  it('names overlapping edits `lines a-b`, counted in ours', () => {
    const r = mergeText({ base, ours: 'zero\none\ntwo\nTHREE\nFOUR\nfive\n', theirs: 'one\ntwo\n3\nfive\n' });
    expect(r.conflicts).to.deep.equal([{ path: 'lines 4-5', base: 'three\nfour', ours: 'THREE\nFOUR', theirs: '3' }]);
    expect(r.value).to.equal('zero\none\ntwo\nTHREE\nFOUR\nfive\n');
  });

  it('replaces the region with a resolution: a side taken exactly, or a value', () => {
    const ours = 'one\nTWO\nthree\nfour\nfive\n';
    const theirs = 'one\n2\nthree\nfour\nfive\n';
    expect(mergeText({ base, ours, theirs, resolve: () => ({ take: 'theirs' }) }).value).to.equal(theirs);
    expect(mergeText({ base, ours, theirs, resolve: () => ({ value: 'dos\ndeux' }) }).value).to.equal('one\ndos\ndeux\nthree\nfour\nfive\n');
    expect(mergeText({ base, ours, theirs, resolve: () => ({ value: '' }) }).value).to.equal('one\nthree\nfour\nfive\n');
  });
});

describe('merge driver: markdown', () => {
  const prd = ['# PRD', 'Intro.', '', '## Goals', 'Ship it.', '', '## Pricing', 'Free.', '', '## Risks', 'None.', ''].join('\n');

  it('splits sections by ATX headings, not inside fenced code', () => {
    const text = ['pre', '# A', '```', '# not a heading', '```', '## B ##', 'b', '## B', ''].join('\n');
    expect(parseSections(text).sections.map((s) => s.id)).to.deep.equal(['', 'A', 'B', 'B (2)']);
  });

  it('merges two branches that edited different sections', () => {
    const ours = prd.replace('Ship it.', 'Ship it in Q3.');
    const theirs = prd.replace('Free.', 'Ten euros a month.');
    const r = mergeMarkdown({ base: prd, ours, theirs });
    expect(r.conflicts).to.deep.equal([]);
    expect(r.value).to.equal(prd.replace('Ship it.', 'Ship it in Q3.').replace('Free.', 'Ten euros a month.'));
  });

  it('merges a section both sides edited line by line when the lines do not overlap', () => {
    const b = '# S\na\nb\nc\nd\n';
    const r = mergeMarkdown({ base: b, ours: '# S\nA\nb\nc\nd\n', theirs: '# S\na\nb\nc\nD\n' });
    expect(r).to.deep.equal({ value: '# S\nA\nb\nc\nD\n', conflicts: [] });
  });

  it('names what still overlaps `#<heading>` with the sections as base, ours and theirs', () => {
    const r = mergeMarkdown({ base: prd, ours: prd.replace('Free.', 'Cheap.'), theirs: prd.replace('Free.', 'Dear.') });
    expect(r.conflicts).to.deep.equal([{ path: '#Pricing', base: '## Pricing\nFree.\n', ours: '## Pricing\nCheap.\n', theirs: '## Pricing\nDear.\n' }]);
    const settled = mergeMarkdown({ base: prd, ours: prd.replace('Free.', 'Cheap.'), theirs: prd.replace('Free.', 'Dear.'), resolve: () => ({ value: '## Pricing\nFair.\n' }) });
    expect(settled).to.deep.equal({ value: prd.replace('Free.', 'Fair.'), conflicts: [] });
  });

  it('keeps sections added on both sides, and conflicts on a section removed on one side and edited on the other', () => {
    const r = mergeMarkdown({ base: prd, ours: prd + '## Ours\nx\n', theirs: prd.replace('## Risks\nNone.\n', '') });
    expect(r.conflicts).to.deep.equal([]);
    expect(r.value).to.equal(prd.replace('## Risks\nNone.\n', '') + '## Ours\nx\n');
    const c = mergeMarkdown({ base: prd, ours: prd.replace('None.', 'Many.'), theirs: prd.replace('## Risks\nNone.\n', '') });
    expect(c.conflicts.map((x) => [x.path, x.theirs])).to.deep.equal([['#Risks', undefined]]);
  });
});
