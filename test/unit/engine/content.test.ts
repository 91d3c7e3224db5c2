import { expect } from 'chai';
import { canonicalJson, decodeContent, encodeContent, inferFormat } from '../../../lib/content.js';
import { ValidationError } from '../../../lib/errors/index.js';
import { docPath, parseBranch, parseDocPath, parseLocale, parseSemver, parseSlug } from '../../../lib/ids.js';
import { fieldDiff } from '../../../lib/ops/fieldDiff.js';

describe('content encoding', () => {
  it('writes canonical JSON: sorted keys, two-space indent, final newline', () => {
    expect(canonicalJson({ b: [2, { z: 1, a: null }], a: 'x' })).to.equal('{\n  "a": "x",\n  "b": [\n    2,\n    {\n      "a": null,\n      "z": 1\n    }\n  ]\n}\n');
  });
  it('refuses what JSON cannot hold', () => {
    for (const bad of [NaN, Infinity, () => 1, Symbol('x'), 10n]) expect(() => encodeContent({ a: bad }, 'json')).to.throw(ValidationError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeContent(cyclic, 'json')).to.throw(ValidationError, /circular/);
    expect(() => encodeContent('{"a":', 'json')).to.throw(ValidationError, /not valid JSON/);
    expect(() => encodeContent({ a: 1 }, 'markdown')).to.throw(ValidationError);
  });
  it('parses JSON text declared json, and round-trips', () => {
    const bytes = encodeContent('{"b":1,"a":2}', 'json');
    expect(Buffer.from(bytes).toString()).to.equal('{\n  "a": 2,\n  "b": 1\n}\n');
    expect(decodeContent(bytes, 'json')).to.deep.equal({ a: 2, b: 1 });
    expect(decodeContent(encodeContent('# hi', 'markdown'), 'markdown')).to.equal('# hi');
  });
  it('infers a format from the document, then the content', () => {
    expect(inferFormat('x', undefined, undefined)).to.equal('text');
    expect(inferFormat({}, undefined, undefined)).to.equal('json');
    expect(inferFormat('x', undefined, 'markdown')).to.equal('markdown');
  });

  it('takes a string holding a JSON object or array as json on a new document (issue 13 item 2)', () => {
    expect(inferFormat('{"title":"Hello","body":"First draft"}\n', undefined, undefined)).to.equal('json');
    expect(inferFormat(' [1, 2] ', undefined, undefined)).to.equal('json');
    expect(inferFormat('{"title": broken', undefined, undefined)).to.equal('text');
    expect(inferFormat('42', undefined, undefined)).to.equal('text');
    expect(inferFormat('[link](https://example.com)', undefined, undefined)).to.equal('text');
    expect(inferFormat('{"a":1}', 'text', undefined)).to.equal('text');
    expect(inferFormat('{"a":1}', undefined, 'text')).to.equal('text');
  });
});

describe('ids', () => {
  it('accepts slugs and refuses anything that could escape a Git path or ref', () => {
    for (const ok of ['a', 'hello-world', 'v2', 'a1-b2-c3']) expect(parseSlug(ok, 'key')).to.equal(ok);
    for (const bad of ['', '..', '.', 'a/b', 'a.git', 'x.lock', '-a', 'a-', 'a--b', 'A', 'a b', 'a\u0000', 'é', 'x'.repeat(64)]) {
      expect(() => parseSlug(bad, 'key'), bad).to.throw(ValidationError);
    }
  });
  it('parses locales, branches and semver', () => {
    expect(parseLocale('pt-BR')).to.equal('pt-BR');
    expect(() => parseLocale('english')).to.throw(ValidationError);
    expect(() => parseBranch('draft')).to.throw(ValidationError);
    expect(parseSemver('1.2.0-rc.1+build.5')).to.equal('1.2.0-rc.1+build.5');
    for (const bad of ['1.2', '01.2.3', '1.2.3-01', '1.2.3-a..b', '1.2.3-x.lock']) expect(() => parseSemver(bad), bad).to.throw(ValidationError);
  });
  it('maps documents to paths and back', () => {
    expect(docPath('post', 'hello', 'en', 'markdown')).to.equal('post/hello/en.md');
    expect(parseDocPath('post/hello/en.json')).to.deep.equal({ type: 'post', key: 'hello', locale: 'en', format: 'json' });
    for (const bad of ['post/hello/en.html', 'README.md', 'a/b/c/d.json', 'Post/x/en.json', '../x/en.json']) expect(parseDocPath(bad), bad).to.equal(undefined);
  });
});

describe('fieldDiff', () => {
  it('names changed, added and removed fields by path', () => {
    const before = { title: 'A', seo: { d: 1 }, list: [1, 2], 'odd key': 1 };
    const after = { title: 'B', seo: { d: 1, n: true }, list: [1], 'odd key': 2 };
    // The title first (issue 13 item 9), then the stored, sorted order.
    expect(fieldDiff(before, after)).to.deep.equal([
      { path: 'title', op: 'change', before: 'A', after: 'B' },
      { path: 'list[1]', op: 'remove', before: 2 },
      { path: '["odd key"]', op: 'change', before: 1, after: 2 },
      { path: 'seo.n', op: 'add', after: true },
    ]);
    expect(fieldDiff({ a: 1 }, { a: 1 })).to.deep.equal([]);
    expect(fieldDiff(1, 2)).to.deep.equal([{ path: '$', op: 'change', before: 1, after: 2 }]);
  });
});
