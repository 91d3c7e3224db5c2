/**
 * Deterministic benchmark content: CMS-like JSON pages of a given size that evolve by small
 * edits, and prose documents with a given fraction of lines changed.
 */
import { canonicalJson } from '../lib/content.js';

/** A small seeded PRNG (LCG); the same seed gives the same documents on every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat'.split(' ');

function sentence(r: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(r() * WORDS.length)]!);
  return out.join(' ');
}

/**
 * A page of about `bytes` of canonical JSON (title, SEO fields, a list of blocks), that changes
 * by one small edit per `next()`: one word of one block replaced, like an editor's autosave.
 */
export class EvolvingPage {
  private readonly r: () => number;
  private readonly page: { title: string; slug: string; seo: { title: string; description: string }; blocks: Array<{ id: string; type: string; heading: string; text: string }> };
  private edits = 0;

  constructor(seed: number, bytes = 20 * 1024) {
    this.r = rng(seed);
    this.page = { title: `Page ${seed}`, slug: `page-${seed}`, seo: { title: sentence(this.r, 6), description: sentence(this.r, 20) }, blocks: [] };
    while (canonicalJson(this.page).length < bytes) {
      const i = this.page.blocks.length;
      this.page.blocks.push({ id: `b${i}`, type: i % 3 === 0 ? 'hero' : 'paragraph', heading: sentence(this.r, 5), text: sentence(this.r, 40) });
    }
  }

  /** The current content (a fresh object, so callers may keep it). */
  current(): object {
    return structuredClone(this.page);
  }

  /** Applies one small edit and returns the new content. */
  next(): object {
    const b = this.page.blocks[Math.floor(this.r() * this.page.blocks.length)]!;
    const words = b.text.split(' ');
    words[Math.floor(this.r() * words.length)] = `edit${++this.edits}`;
    b.text = words.join(' ');
    return this.current();
  }
}

/** Prose of about `bytes` (lines of ~70 characters), and a copy with `fraction` of lines changed. */
export function textPair(seed: number, bytes: number, fraction: number): { a: string; b: string; lines: number; changed: number } {
  const r = rng(seed);
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const l = `${lines.length + 1}. ${sentence(r, 10)}`;
    lines.push(l);
    size += l.length + 1;
  }
  const b = [...lines];
  const changed = Math.max(1, Math.round(lines.length * fraction));
  const picked = new Set<number>();
  while (picked.size < changed) picked.add(Math.floor(r() * lines.length));
  for (const i of picked) b[i] = `${b[i]} (revised ${seed})`;
  return { a: `${lines.join('\n')}\n`, b: `${b.join('\n')}\n`, lines: lines.length, changed };
}
