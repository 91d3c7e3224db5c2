/**
 * The docs stand alone (issue 13 item 6): every link in README.md and docs/*.md points at a file
 * of this repository (and, with a #fragment, at a heading that exists there), never outside it;
 * no page names files that are not in the repository (the design notes it was written from).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function pages(): string[] {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(root, 'docs', f));
  return [join(root, 'README.md'), ...docs];
}

/** The text outside fenced and inline code, where a link is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1]!)));
}

interface Link {
  page: string;
  target: string;
}

function links(): Link[] {
  const found: Link[] = [];
  for (const page of pages()) {
    const text = prose(readFileSync(page, 'utf8'));
    for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) found.push({ page, target: m[1]! });
    for (const m of text.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)) found.push({ page, target: m[1]! });
    for (const m of text.matchAll(/<(https?:\/\/[^>]+)>/g)) found.push({ page, target: m[1]! });
  }
  return found;
}

/** Why a link does not resolve inside the repository, or undefined when it does. */
function problem(link: Link): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return 'points outside the repository';
  const [path, fragment] = link.target.split('#') as [string, string | undefined];
  const file = path === '' ? link.page : resolve(dirname(link.page), decodeURIComponent(path));
  if (relative(root, file).startsWith('..')) return 'leaves the repository';
  if (!existsSync(file)) return 'no such file';
  if (fragment !== undefined) {
    if (statSync(file).isDirectory() || !file.endsWith('.md')) return 'a #fragment on something that is not a page';
    if (!anchors(file).has(fragment)) return `no heading #${fragment} there`;
  }
  return undefined;
}

describe('docs stand alone', () => {
  it('computes GitHub heading anchors', () => {
    expect(anchorOf('The one write path (`lib/ops/save.ts`)')).to.equal('the-one-write-path-libopssavets');
    expect(anchorOf('Choosing a store (every command)')).to.equal('choosing-a-store-every-command');
  });

  it('finds the links it checks (the scan is not vacuous)', () => {
    const all = links();
    expect(all.length).to.be.greaterThan(20);
    expect(all.some((l) => l.target === 'docs/architecture.md')).to.equal(true);
  });

  it('every link in README.md and docs/ resolves to a file (and heading) inside the repository', () => {
    const broken = links()
      .map((l) => ({ ...l, why: problem(l) }))
      .filter((l) => l.why)
      .map((l) => `${relative(root, l.page)}: (${l.target}) ${l.why}`);
    expect(broken).to.deep.equal([]);
  });

  it('no page names CONTRACT.md, DESIGN.md or other files that are not in the repository', () => {
    const named: string[] = [];
    for (const page of pages()) {
      const text = readFileSync(page, 'utf8');
      for (const m of text.matchAll(/\b(CONTRACT|DESIGN|STYLE)(\.md|'s)\b/g)) named.push(`${relative(root, page)}: ${m[0]}`);
      for (const m of text.matchAll(/\bdocs\/[\w./-]+\.md\b/g)) if (!existsSync(join(root, m[0]))) named.push(`${relative(root, page)}: ${m[0]}`);
    }
    expect(named).to.deep.equal([]);
  });
});
