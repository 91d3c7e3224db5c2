import { expect } from 'chai';
import { formatMessage, formatSourceMessage, parseMessage, parseSourceTrailer } from '../../../lib/trailers.js';

describe('commit trailers', () => {
  it('round-trips one document block', () => {
    const msg = formatMessage('Tighten the pricing paragraph', [
      { doc: 'post/hello-world/en', kind: 'draft', source: 'ai_edit', branch: 'main', version: 7, metadata: { ticket: 'X-1' }, idempotencyKey: 'abc' },
    ]);
    expect(msg).to.equal(
      'Tighten the pricing paragraph\n\nVerso-Doc: post/hello-world/en\nVerso-Kind: draft\nVerso-Source: ai_edit\nVerso-Branch: main\nVerso-Version: 7\nVerso-Idempotency-Key: abc\nVerso-Metadata: {"ticket":"X-1"}\n',
    );
    const parsed = parseMessage(msg);
    expect(parsed.summary).to.equal('Tighten the pricing paragraph');
    expect(parsed.docs).to.deep.equal([{ doc: 'post/hello-world/en', kind: 'draft', source: 'ai_edit', branch: 'main', version: 7, idempotencyKey: 'abc', metadata: { ticket: 'X-1' } }]);
  });

  it('keeps several blocks apart (a merge) and a multi-line summary', () => {
    const msg = formatMessage('Merge q3\n\nWith a body line', [
      { doc: 'a/b/en', version: 3, kind: 'merge' },
      { doc: 'a/c/en', action: 'archive' },
    ]);
    const parsed = parseMessage(msg);
    expect(parsed.summary).to.equal('Merge q3\n\nWith a body line');
    expect(parsed.docs).to.deep.equal([{ doc: 'a/b/en', kind: 'merge', version: 3 }, { doc: 'a/c/en', action: 'archive' }]);
  });

  it('reads a plain git message as having no trailers', () => {
    expect(parseMessage('Fix typo\n\nSigned-off-by: A <a@b.c>\n')).to.deep.equal({ summary: 'Fix typo\n\nSigned-off-by: A <a@b.c>', docs: [] });
  });

  it('cannot be forged through a newline in a field', () => {
    const msg = formatMessage('x', [{ doc: 'a/b/en', version: 1, idempotencyKey: 'k\nVerso-Version: 99' }]);
    expect(parseMessage(msg).docs[0]!.version).to.equal(1);
  });

  it("names an integration commit's source with trailers no verso reads as its own version", () => {
    const commit = 'a'.repeat(40);
    const msg = formatSourceMessage('First cut', { doc: 'prd/checkout/en', version: 3, commit });
    expect(msg).to.equal(`First cut\n\nVerso-Source-Doc: prd/checkout/en\nVerso-Source-Version: 3\nVerso-Source-Commit: ${commit}\n`);
    // A receiving verso: no document, no version number, and the summary without the trailers.
    expect(parseMessage(msg)).to.deep.equal({ summary: 'First cut', docs: [] });
    expect(parseSourceTrailer(msg)).to.deep.equal({ doc: 'prd/checkout/en', version: 3, commit });
    expect(parseSourceTrailer(formatMessage('x', [{ doc: 'a/b/en', version: 1 }]))).to.equal(undefined);
  });
});
