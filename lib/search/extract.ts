/**
 * The searchable text of a version, per format: JSON string values (those under title-like
 * keys apart, so they can weigh more), markdown without its syntax (headings apart), plain
 * text as it is. Control characters are dropped: the snippet markers are control characters.
 */
import type { Format } from '../types.js';

export interface SearchText {
  title: string;
  body: string;
}

const TITLE_KEYS = new Set(['title', 'name', 'heading', 'headline', 'subject', 'label', 'subtitle']);
// The characters ts_headline's markers use (see db/queries/search.ts), and the rest of C0.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const MAX_TITLE = 10_000;

const clean = (s: string) => s.replace(CONTROL, ' ');

function fromJson(value: unknown, out: { title: string[]; body: string[] }, titled: boolean): void {
  if (typeof value === 'string') (titled ? out.title : out.body).push(value);
  else if (Array.isArray(value)) for (const v of value) fromJson(v, out, titled);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) fromJson(v, out, TITLE_KEYS.has(k.toLowerCase()));
  }
}

/** Markdown to plain words: headings apart; links and images keep their text; markup goes. */
export function markdownText(md: string): SearchText {
  const title: string[] = [];
  const body: string[] = [];
  let fenced = false;
  for (const raw of md.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      body.push(raw);
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw);
    const line = (heading ? heading[1]! : raw)
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>\n]+>/g, ' ')
      .replace(/^\s{0,3}(>\s*)+/, '')
      .replace(/^\s*([-*+]|\d+[.)])\s+/, '')
      .replace(/^\s*([-*_]\s*){3,}$/, '')
      .replace(/[*_~`|]+/g, ' ');
    (heading ? title : body).push(line);
  }
  return { title: title.join('\n'), body: body.join('\n') };
}

export function extractSearchText(format: Format, bytes: Uint8Array): SearchText {
  const text = new TextDecoder().decode(bytes);
  let out: SearchText;
  if (format === 'json') {
    const parts = { title: [] as string[], body: [] as string[] };
    try {
      fromJson(JSON.parse(text), parts, false);
    } catch {
      parts.body.push(text); // a pushed file that is not JSON is still searchable as text
    }
    out = { title: parts.title.join('\n'), body: parts.body.join('\n') };
  } else if (format === 'markdown') out = markdownText(text);
  else out = { title: '', body: text };
  return { title: clean(out.title).slice(0, MAX_TITLE), body: clean(out.body) };
}

// PostgreSQL's snowball configurations (PGlite has the same ones), by language subtag.
const CONFIGS: Record<string, string> = {
  ar: 'arabic', hy: 'armenian', eu: 'basque', ca: 'catalan', da: 'danish', nl: 'dutch', en: 'english',
  et: 'estonian', fi: 'finnish', fr: 'french', de: 'german', el: 'greek', hi: 'hindi', hu: 'hungarian',
  id: 'indonesian', ga: 'irish', it: 'italian', lt: 'lithuanian', ne: 'nepali', no: 'norwegian',
  nb: 'norwegian', nn: 'norwegian', pt: 'portuguese', ro: 'romanian', ru: 'russian', sr: 'serbian',
  es: 'spanish', sv: 'swedish', ta: 'tamil', tr: 'turkish', yi: 'yiddish',
};

/** The text search configuration for a locale ('fr-CA' → french); `simple` when none fits. */
export function searchConfig(locale: string): string {
  return CONFIGS[locale.split('-')[0]!.toLowerCase()] ?? 'simple';
}
