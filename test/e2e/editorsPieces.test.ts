/**
 * The editors' pages' pure pieces: escaping, the compare rows, the session cookie and its CSRF
 * token, and the redirect guard. The browser test (editors.test.ts) drives the pages whole.
 */
import { expect } from 'chai';
import { escapeHtml, html, raw } from '../../gateway/ui/html.js';
import { fieldRows, flattenJson, lineRows, statsOf } from '../../lib/diff/rows.js';
import { csrfSigner, readCookies } from '../../gateway/ui/session.js';
import { SESSION_MS, SessionStore } from '../../gateway/ui/sessionStore.js';
import { safeNext, withQuery } from '../../gateway/ui/paths.js';
import { all, one, parseRef } from '../../gateway/ui/params.js';
import { ValidationError } from '../../lib/errors/index.js';

describe('editors pages: pieces', () => {
  describe('html', () => {
    it('escapes interpolated text and keeps SafeHtml', () => {
      const name = '<script>alert("x")</script> & \'q\'';
      expect(html`<p title="${name}">${name}</p>`.value).to.equal(
        '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</p>',
      );
      expect(html`<ul>${['a<', 'b'].map((s) => html`<li>${s}</li>`)}</ul>`.value).to.equal('<ul><li>a&lt;</li><li>b</li></ul>');
      expect(html`${raw('<br>')}${null}${undefined}${false}${0}`.value).to.equal('<br>0');
      expect(escapeHtml('a&b')).to.equal('a&amp;b');
    });
  });

  describe('lineRows', () => {
    it('pairs changed lines side by side with word highlights and numbers both sides', () => {
      const rows = lineRows('# Hello\n\nWe bake bread.\nBye\n', '# Hello\n\nWe bake bread and cakes.\nBye\nSee you.\n');
      expect(rows.map((r) => r.op)).to.deep.equal(['equal', 'equal', 'change', 'equal', 'add']);
      const change = rows[2]!;
      expect(change.left).to.include({ no: 3, text: 'We bake bread.' });
      expect(change.right).to.include({ no: 3, text: 'We bake bread and cakes.' });
      expect(change.right!.parts!.filter((p) => p.changed).map((p) => p.text).join('')).to.contain('and cakes');
      expect(rows[4]).to.deep.include({ op: 'add', right: { no: 5, text: 'See you.' } });
      expect(statsOf(rows)).to.deep.equal({ added: 1, removed: 0, changed: 1, unchanged: 3 });
    });

    it('ignores a missing final newline and CRLF endings', () => {
      expect(lineRows('a\r\nb', 'a\nb\n').every((r) => r.op === 'equal')).to.equal(true);
    });

    it('handles empty texts and pure removals', () => {
      expect(lineRows('', '')).to.deep.equal([]);
      expect(lineRows('x\ny\n', '').map((r) => [r.op, r.left?.no, r.right?.no])).to.deep.equal([['remove', 1, undefined], ['remove', 2, undefined]]);
    });
  });

  describe('fieldRows', () => {
    it('flattens to leaf paths, keeping empty containers as leaves', () => {
      expect([...flattenJson({ a: { b: 1, 'c d': [true, {}] }, e: [] }).entries()]).to.deep.equal([
        ['a.b', 1], ['a["c d"][0]', true], ['a["c d"][1]', {}], ['e', []],
      ]);
      expect([...flattenJson('plain').entries()]).to.deep.equal([['', 'plain']]);
    });

    it('lists every field with its op, in document order, added fields beside their siblings', () => {
      const before = { title: 'Welcome', hero: { heading: 'Fresh bread daily', image: 'bread.jpg' }, price: 3, gone: null };
      const after = { title: 'Welcome', hero: { heading: 'Fresh bread daily', alt: 'A loaf', image: 'loaf.jpg' }, price: 3.5 };
      const rows = fieldRows(before, after);
      expect(rows.map((r) => [r.path, r.op])).to.deep.equal([
        ['title', 'equal'], ['hero.heading', 'equal'], ['hero.alt', 'add'], ['hero.image', 'change'], ['price', 'change'], ['gone', 'remove'],
      ]);
      const image = rows.find((r) => r.path === 'hero.image')!;
      expect(image.before).to.deep.include({ text: 'bread.jpg', literal: false });
      expect(image.after!.parts!.some((p) => p.changed && p.text.includes('loaf'))).to.equal(true);
      expect(rows.find((r) => r.path === 'price')!.after).to.deep.include({ text: '3.5', literal: true });
      expect(rows.find((r) => r.path === 'gone')!.before).to.deep.include({ text: 'null', literal: true });
    });
  });

  describe('session and CSRF', () => {
    it('keeps sessions on the server: a random id, the key never in it; expired and deleted sessions are gone', () => {
      let now = 1_000_000;
      const sessions = new SessionStore(() => now);
      const s = sessions.create({ key: 'vk_abc', name: 'Ann', email: 'ann@example.com' });
      expect(s.id).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(s.id).to.not.include('vk_abc');
      expect(sessions.get(s.id)).to.include({ key: 'vk_abc', name: 'Ann', email: 'ann@example.com' });
      expect(sessions.get('not-a-session')).to.equal(undefined);
      now += SESSION_MS;
      expect(sessions.get(s.id)).to.equal(undefined);
      const t = sessions.create({ key: 'vk_abc', name: '' });
      sessions.delete(t.id);
      expect(sessions.get(t.id)).to.equal(undefined);
    });

    it('parses cookies, first one wins, bad escapes skipped', () => {
      const cookies = readCookies('a=1; b=%E0%A4%A; a=2; c=x%20y');
      expect(cookies.get('a')).to.equal('1');
      expect(cookies.has('b')).to.equal(false);
      expect(cookies.get('c')).to.equal('x y');
    });

    it('binds the CSRF token to the session id and the router secret', () => {
      const signer = csrfSigner();
      const token = signer.tokenFor('key-1');
      expect(signer.verify('key-1', token)).to.equal(true);
      expect(signer.verify('key-2', token)).to.equal(false);
      expect(signer.verify('key-1', undefined)).to.equal(false);
      expect(csrfSigner().verify('key-1', token)).to.equal(false);
    });
  });

  describe('paths and params', () => {
    it('only redirects inside the pages after sign-in', () => {
      expect(safeNext('/ui/sites/acme?q=x')).to.equal('/ui/sites/acme?q=x');
      for (const bad of ['//evil.example/ui/', 'https://evil.example/', '/v1/sites', '/ui/\\evil', undefined, 42]) {
        expect(safeNext(bad)).to.equal('/ui/sites');
      }
    });

    it('builds query strings without empty values', () => {
      expect(withQuery('/ui/x', { a: 1, b: '', c: undefined, d: true, e: false, f: 'a b' })).to.equal('/ui/x?a=1&d=1&f=a+b');
    });

    it('reads refs and form values', () => {
      expect(parseRef('12', 'from')).to.equal(12);
      expect(parseRef('published', 'from')).to.equal('published');
      expect(() => parseRef(undefined, 'from')).to.throw(ValidationError);
      expect(() => parseRef('../x', 'from')).to.throw(ValidationError);
      expect(one({ a: [' x ', 'y'] }, 'a')).to.equal('x');
      expect(one({ a: '  ' }, 'a')).to.equal(undefined);
      expect(all({ v: ['1', '', '3'] }, 'v')).to.deep.equal(['1', '3']);
    });
  });
});
