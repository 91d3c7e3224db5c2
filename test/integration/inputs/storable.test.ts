/**
 * Issue 8 item 2: every string PostgreSQL stores is refused before anything is written when it
 * holds a NUL or a lone surrogate; JSON nesting is capped; numbers that would not round-trip
 * are refused; `__proto__` keys are kept as data. Through the embedded SDK and raw HTTP, on
 * both databases. "Nothing written" is checked on the Git side (branch head, with the git CLI)
 * and the index side (log), and the data dir must open again afterwards.
 */
import { expect } from 'chai';
import { ValidationError } from '../../../lib/errors/index.js';
import { databaseTargets } from '../../helpers/databases.js';
import { git } from '../../helpers/gitCli.js';
import { openStack, type Stack } from '../../helpers/stack.js';

const SITE = 'store';
const DOC = '/v1/sites/store/docs/post/hello/en';

function nested(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}
const nestedText = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

async function refused(p: Promise<unknown>): Promise<ValidationError> {
  try {
    await p;
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(ValidationError);
    expect((err as ValidationError).code).to.equal('invalid_input');
    return err as ValidationError;
  }
  throw new Error('expected ValidationError, the call succeeded');
}

for (const target of databaseTargets()) {
  describe(`inputs: storable strings, depth and numbers (${target})`, function () {
    this.timeout(120_000);
    let s: Stack;
    const head = (): string => git(s.embedded.repoDir(SITE), 'rev-parse', 'refs/heads/main').trim();
    const doc = () => s.embedded.site(SITE).doc('post', 'hello', 'en');

    before(async () => {
      s = await openStack(target);
      await s.embedded.createSite({ id: SITE, name: 'Store', locales: ['en'] });
      await doc().save({ content: { title: 'one' } });
    });
    after(async () => s && (await s.cleanup()));

    /** Runs `fn`, then checks that neither Git nor the index moved. */
    async function nothingWritten(fn: () => Promise<void>): Promise<void> {
      const before = head();
      const versions = (await doc().log()).items.length;
      await fn();
      expect(head(), 'main did not move').to.equal(before);
      expect((await doc().log()).items.length, 'no version was indexed').to.equal(versions);
    }

    it('refuses a NUL in a metadata value or key, embedded and over HTTP, before the commit', async () => {
      await nothingWritten(async () => {
        const e1 = await refused(doc().save({ content: { t: 1 }, metadata: { a: 'x\u0000y' } }));
        expect(e1.data).to.include({ field: 'metadata', path: '/a', reason: 'nul_character' });
        const e2 = await refused(doc().save({ content: { t: 1 }, metadata: { ['k\u0000']: 'v' } }));
        expect(e2.data).to.include({ field: 'metadata', reason: 'nul_character' });
        const r = await s.http('POST', `${DOC}/versions`, { raw: '{"content":{"t":1},"metadata":{"a":"x\\u0000y"}}' });
        expect(r.status).to.equal(400);
        expect(r.body.error).to.deep.include({ code: 'invalid_input' });
        expect(r.body.error.details).to.include({ reason: 'nul_character', path: '/a' });
      });
    });

    it('still opens the data dir after the refused NUL (it used to brick it)', async () => {
      s = await s.reopen();
      expect((await doc().log()).items.map((v) => v.number)).to.deep.equal([1]);
      const v = await doc().save({ content: { title: 'two' } });
      expect(v.number).to.equal(2);
    });

    it('refuses a NUL in messages, author names and emails, comment bodies, key, site and tag texts', async () => {
      await nothingWritten(async () => {
        expect((await refused(doc().save({ content: { t: 2 }, message: 'a\u0000b' }))).data).to.include({ field: 'message', reason: 'nul_character' });
        expect((await refused(doc().save({ content: { t: 2 }, author: { name: 'Ann', email: 'a\u0000@x.io' } }))).data).to.include({ field: 'author.email' });
        await refused(doc().save({ content: { t: 2 }, author: 'A\u0000nn' }));
        await refused(doc().rollback(1, { message: 'back\u0000' }));
        await refused(doc().comment(1, { body: 'hi\u0000', author: 'Ann' }));
        await refused(doc().tag(1, '1.0.0', { message: 'log\u0000' }));
      });
      expect((await refused(s.embedded.createKey({ role: 'viewer', name: 'k\u0000' }))).data).to.include({ field: 'name', reason: 'nul_character' });
      expect((await refused(s.embedded.createSite({ id: 'nul-site', name: 'N\u0000' }))).data).to.include({ field: 'name', reason: 'nul_character' });
      expect(await s.embedded.listSites()).to.have.length(1);
      expect(await doc().comments(1)).to.deep.equal([]);
      for (const [path, body] of [
        ['/v1/keys', '{"role":"viewer","name":"k\\u0000"}'],
        ['/v1/sites', '{"id":"nul-site","name":"N\\u0000"}'],
        [`${DOC}/versions/1/comments`, '{"body":"hi\\u0000","author":"Ann"}'],
        [`${DOC}/versions`, '{"content":{"t":2},"message":"a\\u0000b"}'],
      ] as const) {
        const r = await s.http('POST', path, { raw: body });
        expect(r.status, path).to.equal(400);
        expect(r.body.error.details.reason, path).to.equal('nul_character');
      }
    });

    it('refuses lone surrogates in content, metadata and messages (UTF-8 cannot carry them)', async () => {
      await nothingWritten(async () => {
        expect((await refused(doc().save({ content: { t: 'a\ud800b' } }))).data).to.include({ field: 'content', reason: 'lone_surrogate' });
        expect((await refused(doc().save({ content: { t: 1 }, metadata: { m: '\udc00' } }))).data).to.include({ reason: 'lone_surrogate' });
        await refused(doc().save({ content: { t: 1 }, message: 'x\udbff' }));
        const r = await s.http('POST', `${DOC}/versions`, { raw: '{"content":{"t":"\\ud800"}}' });
        expect(r.status).to.equal(400);
        expect(r.body.error.details.reason).to.equal('lone_surrogate');
      });
      // A pair is fine and comes back as it went in.
      const v = await doc().save({ content: { t: 'emoji \ud83d\ude00' }, metadata: { m: '\ud83d\ude00' } });
      expect((await doc().show(v.number)).content).to.deep.equal({ t: 'emoji \ud83d\ude00' });
      expect(v.metadata).to.deep.equal({ m: '\ud83d\ude00' });
    });

    it('caps JSON nesting at 64 levels in content and metadata', async () => {
      await nothingWritten(async () => {
        const e = await refused(doc().save({ content: nested(10_000) }));
        expect(e.data).to.include({ field: 'content', reason: 'too_deep', limit: 64 });
        await refused(doc().save({ content: { t: 1 }, metadata: nested(65) as Record<string, unknown> }));
        await refused(doc().save({ content: nested(65) }));
        for (const raw of [`{"content":${nestedText(10_000)}}`, `{"content":1,"metadata":${nestedText(10_000)}}`]) {
          const r = await s.http('POST', `${DOC}/versions`, { raw });
          expect(r.status).to.equal(400);
          expect(r.body.error.details.reason).to.equal('too_deep');
        }
      });
      const v = await doc().save({ content: nested(64), metadata: nested(63) as Record<string, unknown> });
      expect((await doc().show(v.number)).content).to.deep.equal(nested(64));
    });

    it('refuses numbers that would not round-trip, embedded and from the raw JSON text', async () => {
      await nothingWritten(async () => {
        expect((await refused(doc().save({ content: { t: 1 }, metadata: { n: Infinity } }))).data).to.include({ reason: 'number_not_exact' });
        await refused(doc().save({ content: { n: 2 ** 53 + 2 } }));
        await refused(doc().save({ content: { t: 1 }, metadata: { n: -(2 ** 60) } }));
        await refused(doc().save({ content: '{"n": 9007199254740993}', format: 'json' }));
        for (const raw of [
          '{"content":{"t":1},"metadata":{"n":1e400}}',
          '{"content":{"n":9007199254740993}}',
          '{"content":{"n":12345678901234567890}}',
          '{"content":{"n":0.1000000000000000000000001}}',
          '{"content":[1,2,-1e-400]}',
          '{"content":{"big":1e21}}',
        ]) {
          const r = await s.http('POST', `${DOC}/versions`, { raw });
          expect(r.status, raw).to.equal(400);
          expect(r.body.error.code).to.equal('invalid_input');
          expect(r.body.error.details.reason, raw).to.equal('number_not_exact');
        }
      });
      // Exact ones pass, however they are written.
      const r = await s.http('POST', `${DOC}/versions`, { raw: '{"content":{"a":9007199254740991,"b":1.5e3,"c":0.1,"d":-2.50,"e":-0.5e-3},"metadata":{"n":123.456}}' });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      expect(r.body.metadata).to.deep.equal({ n: 123.456 });
      expect((await doc().show(r.body.number)).content).to.deep.equal({ a: 9007199254740991, b: 1500, c: 0.1, d: -2.5, e: -0.0005 });
    });

    it('keeps __proto__ keys as data in content and metadata (never dropped)', async () => {
      const content = JSON.parse('{"__proto__":{"x":1},"title":"p"}') as Record<string, unknown>;
      const metadata = JSON.parse('{"__proto__":"m"}') as Record<string, unknown>;
      const v = await doc().save({ content, metadata });
      const shown = await doc().show(v.number);
      expect(Object.keys(shown.content as object)).to.deep.equal(['__proto__', 'title']);
      expect(Object.getOwnPropertyDescriptor(shown.content, '__proto__')?.value).to.deep.equal({ x: 1 });
      expect(Object.getPrototypeOf(shown.content)).to.equal(Object.prototype);
      expect(Object.keys(shown.metadata)).to.deep.equal(['__proto__']);
      const blob = git(s.embedded.repoDir(SITE), 'show', `${v.commit}:post/hello/en.json`);
      expect(blob).to.contain('"__proto__": {');
      const r = await s.http('POST', `${DOC}/versions`, { raw: '{"content":{"__proto__":{"y":2},"z":1},"metadata":{"__proto__":1}}' });
      expect(r.status).to.equal(201);
      expect(JSON.stringify(r.body.metadata)).to.equal('{"__proto__":1}');
      const got = await s.http('GET', `${DOC}/versions/${r.body.number}`);
      expect(JSON.stringify(got.body.content)).to.equal('{"__proto__":{"y":2},"z":1}');
      expect(JSON.stringify(got.body.metadata)).to.equal('{"__proto__":1}');
    });
  });
}
