/**
 * Fuzzing save (issue 8, "Tests"): fast-check generates save inputs and document ids —
 * content, metadata, message, author, type/key/locale — and sends each through the embedded
 * SDK or raw HTTP. Every input is either stored and read back identically, or refused with a
 * stable code; never a 500 or an `internal`. Inputs built to be valid must be stored. After the
 * runs, every commit on the Git branch has its index row (the real git CLI reads the branch).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import type { SaveInput } from '../../../lib/types.js';
import { databaseTargets } from '../../helpers/databases.js';
import { git } from '../../helpers/gitCli.js';
import { openStack, type Stack } from '../../helpers/stack.js';

const SITE = 'fuzz';
const STABLE_CODES = new Set(['invalid_input', 'not_found', 'too_large']);
const NUM_RUNS = 40;

// ---------------------------------------------------------------- arbitraries

const cleanText = fc.string({ unit: 'grapheme', maxLength: 16 }).filter((s) => !s.includes('\u0000'));
const wildText = fc.oneof(cleanText, fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('\u0000', 'x\ud800', '\udfff y', '', '__proto__', 'verso-doc: x'));
const cleanNumber = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((d) => !Object.is(d, -0)));
const wildNumber = fc.oneof(cleanNumber, fc.constantFrom(2 ** 53 + 2, 1e300, -1e21, Infinity, Number.MAX_SAFE_INTEGER));

function jsonOf(text: fc.Arbitrary<string>, num: fc.Arbitrary<number>, depth: number): fc.Arbitrary<unknown> {
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { maxDepth: depth, depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      num,
      text,
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(text, tie('value'), { maxKeys: 3 }),
    ),
  }));
  return value;
}

// `__proto__` is an ordinary key: it must come back as data.
const cleanKey = fc.oneof({ arbitrary: cleanText, weight: 8 }, { arbitrary: fc.constant('__proto__'), weight: 1 });
const cleanObject = fc.dictionary(cleanKey, jsonOf(cleanText, cleanNumber, 3), { maxKeys: 4 });
const wildObject = fc.dictionary(wildText, jsonOf(wildText, wildNumber, 3), { maxKeys: 4 });
const slug = fc.constantFrom('post', 'page', 'a-b', 'x9');

interface Case {
  type: string;
  key: string;
  locale: string;
  input: SaveInput;
}

const author = (text: fc.Arbitrary<string>) =>
  fc.option(fc.oneof(text, fc.record({ name: text, email: fc.option(fc.constantFrom('ann@example.com', 'a\u0000@x.io', 'nope'), { nil: undefined }) }, { requiredKeys: ['name'] })), { nil: undefined });

/** Valid by construction: each key has one format, so no save may be refused. */
const cleanCase: fc.Arbitrary<Case> = fc
  .record({
    type: slug,
    n: fc.integer({ min: 1, max: 3 }),
    locale: fc.constantFrom('en', 'fr'),
    format: fc.constantFrom('json', 'text', 'markdown'),
    json: cleanObject,
    text: fc.string({ unit: 'grapheme', maxLength: 40 }),
    metadata: fc.option(cleanObject, { nil: undefined }),
    message: fc.option(cleanText, { nil: undefined }),
    author: fc.option(fc.constantFrom('Ann', { name: 'Bob', email: 'bob@example.com' }), { nil: undefined }),
  })
  .map((c) => ({
    type: c.type,
    key: `${c.format}-${c.n}`,
    locale: c.locale,
    input: {
      content: c.format === 'json' ? c.json : c.text,
      format: c.format as SaveInput['format'],
      ...(c.metadata === undefined ? {} : { metadata: c.metadata }),
      ...(c.message === undefined ? {} : { message: c.message }),
      ...(c.author === undefined ? {} : { author: c.author }),
    },
  }));

/** Anything: bad ids, NUL, lone surrogates, inexact numbers, clashing formats. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: bad, weight: 1 });
const wildCase: fc.Arbitrary<Case> = fc.record({
  type: mostly(slug, wildText),
  key: mostly(slug, wildText),
  locale: mostly(fc.constantFrom('en', 'fr'), fc.constantFrom('de', 'EN', 'e/n', '')),
  input: fc.record(
    {
      content: fc.oneof(wildObject, wildText, jsonOf(wildText, wildNumber, 2)),
      format: fc.option(fc.constantFrom('json', 'text', 'markdown', 'xml'), { nil: undefined }),
      metadata: fc.option(wildObject, { nil: undefined }),
      message: fc.option(wildText, { nil: undefined }),
      author: author(wildText),
    },
    { requiredKeys: ['content'] },
  ) as fc.Arbitrary<SaveInput>,
});

// ---------------------------------------------------------------- expectations

/** What JSON makes of a value (the HTTP body, the canonical blob): -0 is 0, no undefined. */
const viaJson = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** The message as the store documents it: empty → "Update", trailer-looking lines defused. */
const expectedMessage = (m: string | undefined): string => (m ? m.replace(/^(verso-[a-z-]+):/gim, '$1 -') : 'Update');

interface Stored {
  number: number;
  content: unknown;
  metadata: unknown;
  message: string;
  author: unknown;
}

type Outcome = { stored: Stored } | { refused: string; status?: number };

async function viaSdk(s: Stack, c: Case): Promise<Outcome> {
  const doc = s.embedded.site(SITE).doc(c.type, c.key, c.locale);
  try {
    const v = await doc.save(c.input);
    const shown = await doc.show(v.number);
    return { stored: { number: v.number, content: shown.content, metadata: shown.metadata, message: shown.message, author: shown.author } };
  } catch (err) {
    return { refused: String((err as { code?: unknown }).code ?? err) };
  }
}

/** Percent-encodes a path segment; a lone surrogate goes out as its WTF-8 bytes (not UTF-8). */
function segment(text: string): string {
  return [...text]
    .map((ch) => {
      const unit = ch.charCodeAt(0);
      if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
        return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      }
      return encodeURIComponent(ch);
    })
    .join('');
}

async function viaHttp(s: Stack, c: Case): Promise<Outcome> {
  const base = `/v1/sites/${SITE}/docs/${segment(c.type)}/${segment(c.key)}/${segment(c.locale)}`;
  const res = await s.http('POST', `${base}/versions`, { body: c.input });
  if (res.status !== 201) return { refused: String(res.body?.error?.code ?? res.status), status: res.status };
  const shown = await s.http('GET', `${base}/versions/${res.body.number}`);
  expect(shown.status).to.equal(200);
  return { stored: { number: res.body.number, content: shown.body.content, metadata: shown.body.metadata, message: shown.body.message, author: shown.body.author } };
}

function checkOutcome(c: Case, out: Outcome, http: boolean): void {
  if ('refused' in out) {
    expect(out.status ?? 400, JSON.stringify(out)).to.be.below(500);
    expect(STABLE_CODES.has(out.refused), `unstable refusal ${out.refused} for ${JSON.stringify(c)}`).to.equal(true);
    return;
  }
  const sent = http ? viaJson(c.input) as SaveInput : c.input;
  const content = sent.format === 'json' || (sent.format === undefined && typeof sent.content !== 'string') ? viaJson(sent.content) : sent.content;
  expect(out.stored.content, 'content read back').to.deep.equal(content);
  expect(out.stored.metadata, 'metadata read back').to.deep.equal(viaJson(sent.metadata ?? {}));
  expect(out.stored.message, 'message read back').to.equal(expectedMessage(sent.message));
  const a = sent.author;
  const name = a === undefined ? 'verso' : typeof a === 'string' ? a.trim() : a.name.trim();
  expect((out.stored.author as { name: string }).name, 'author read back').to.equal(name);
}

// ---------------------------------------------------------------- the runs

for (const target of databaseTargets()) {
  describe(`inputs: fuzzing save through the SDK and HTTP (${target})`, function () {
    this.timeout(180_000);
    let s: Stack;
    before(async () => {
      s = await openStack(target);
      await s.embedded.createSite({ id: SITE, name: 'Fuzz', locales: ['en', 'fr'] });
    });
    after(async () => s && (await s.cleanup()));

    for (const http of [false, true]) {
      const how = http ? 'HTTP' : 'the embedded SDK';
      it(`stores every valid input and reads it back identically (${how})`, async () => {
        await fc.assert(
          fc.asyncProperty(cleanCase, async (c) => {
            const out = http ? await viaHttp(s, c) : await viaSdk(s, c);
            expect(out, JSON.stringify(out)).to.have.property('stored');
            checkOutcome(c, out, http);
          }),
          { numRuns: NUM_RUNS, seed: 8_002 + (http ? 1 : 0) },
        );
      });

      it(`stores or refuses any input with a stable code, never a 500 (${how})`, async () => {
        const seen = { stored: 0, refused: 0 };
        await fc.assert(
          fc.asyncProperty(wildCase, async (c) => {
            const out = http ? await viaHttp(s, c) : await viaSdk(s, c);
            seen['stored' in out ? 'stored' : 'refused']++;
            checkOutcome(c, out, http);
          }),
          { numRuns: NUM_RUNS * 2, seed: 8_010 + (http ? 1 : 0) },
        );
        // Both sides of the property were exercised.
        expect(seen.stored, JSON.stringify(seen)).to.be.greaterThan(5);
        expect(seen.refused, JSON.stringify(seen)).to.be.greaterThan(5);
      });
    }

    it('leaves no commit on main without its index row', async () => {
      const log = git(s.embedded.repoDir(SITE), 'log', '--format=%H%x00%B%x1e', 'refs/heads/main');
      const committed: Array<{ commit: string; doc: string; version: number }> = [];
      for (const entry of log.split('\x1e')) {
        const [commit, body] = entry.trim().split('\x00') as [string, string | undefined];
        const doc = /^Verso-Doc: (.+)$/m.exec(body ?? '')?.[1];
        const version = /^Verso-Version: (\d+)$/m.exec(body ?? '')?.[1];
        if (commit && doc && version) committed.push({ commit, doc, version: Number(version) });
      }
      expect(committed.length, 'the runs saved something').to.be.greaterThan(NUM_RUNS);
      const indexed = new Map<string, string>();
      let cursor: string | undefined;
      do {
        const page = await s.embedded.site(SITE).docs({ limit: 500, cursor });
        for (const d of page.items) {
          let vc: string | undefined;
          do {
            const versions = await s.embedded.site(SITE).doc(d.type, d.key, d.locale).log({ limit: 500, cursor: vc, branch: 'main' });
            for (const v of versions.items) indexed.set(v.commit, `${d.type}/${d.key}/${d.locale}#${v.number}`);
            vc = versions.next;
          } while (vc);
        }
        cursor = page.next;
      } while (cursor);
      for (const c of committed) expect(indexed.get(c.commit), `commit ${c.commit} of ${c.doc}`).to.equal(`${c.doc}#${c.version}`);
      expect(indexed.size).to.equal(committed.length);
    });
  });
}
