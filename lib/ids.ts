/**
 * Parsing of every id that becomes a Git path or ref. Ids are parsed once, at the edge, into
 * branded types; nothing like `..`, `/`, control characters or `.lock` gets through because
 * a slug is lowercase letters, digits and single inner hyphens only.
 */
import { ValidationError } from './errors/index.js';
import type { BranchName, Oid, SiteId } from './types.js';

const SLUG = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,62}$/;
// Locales follow BCP 47 shape in lowercase-or-region form: en, fr, pt-BR, zh-Hant-TW.
const LOCALE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2}$/;
const OID = /^[0-9a-f]{40}$/;
const SHORT_HASH = /^[0-9a-f]{7,40}$/;
// semver.org 2.0.0 (numeric identifiers without leading zeros), as the tags table's CHECK.
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
// Names a branch may not take: they are Verso's own lines or VersionRef keywords.
// 'labels' is verso's own branch of label moves (lib/ops/labelCommits.ts): never a user's line of work.
const RESERVED_BRANCHES = new Set(['draft', 'published', 'head', 'labels']);

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
}

/** Parses a slug (type, key) or throws ValidationError naming the field. */
export function parseSlug(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SLUG.test(value)) {
    throw new ValidationError(
      `${field} must be a slug (a-z, 0-9 and inner hyphens, 1-63 characters), got ${describe(value)}`,
      { field },
    );
  }
  return value;
}

export function parseSiteId(value: unknown): SiteId {
  return parseSlug(value, 'site') as SiteId;
}

export function parseLocale(value: unknown, field = 'locale'): string {
  if (typeof value !== 'string' || !LOCALE.test(value)) {
    throw new ValidationError(`${field} must be a locale such as en or pt-BR, got ${describe(value)}`, { field });
  }
  return value;
}

/** Branch names are slugs; `main` and `published` are verso's and exist on every site. */
export function parseBranch(value: unknown, field = 'branch'): BranchName {
  const name = parseSlug(value, field);
  if (RESERVED_BRANCHES.has(name) && name !== 'published') {
    throw new ValidationError(`${field} ${describe(value)} is reserved`, { field });
  }
  return name as BranchName;
}

export function isOid(value: string): value is Oid {
  return OID.test(value);
}

export function isShortHash(value: string): boolean {
  return SHORT_HASH.test(value);
}

export function parseSemver(value: unknown): string {
  if (typeof value !== 'string' || value.length > 100 || !SEMVER.test(value) || value.endsWith('.lock')) {
    throw new ValidationError(`tag name must be a semantic version such as 1.2.0, got ${describe(value)}`, { field: 'name' });
  }
  return value;
}

/** The Git path of a document: `<type>/<key>/<locale>.<ext>`. */
export function docPath(type: string, key: string, locale: string, format: 'json' | 'markdown' | 'text'): string {
  return `${type}/${key}/${locale}.${extensionOf(format)}`;
}

export function extensionOf(format: 'json' | 'markdown' | 'text'): string {
  return format === 'json' ? 'json' : format === 'markdown' ? 'md' : 'txt';
}

const EXT_FORMAT: Record<string, 'json' | 'markdown' | 'text'> = { json: 'json', md: 'markdown', txt: 'text' };

/** Parses a Git path back into a document address, or returns undefined when it is outside the layout. */
export function parseDocPath(path: string): { type: string; key: string; locale: string; format: 'json' | 'markdown' | 'text' } | undefined {
  const m = /^([^/]+)\/([^/]+)\/([^/]+)\.(json|md|txt)$/.exec(path);
  if (!m) return undefined;
  const [, type, key, locale, ext] = m as unknown as [string, string, string, string, string];
  if (!SLUG.test(type) || !SLUG.test(key) || !LOCALE.test(locale)) return undefined;
  return { type, key, locale, format: EXT_FORMAT[ext]! };
}
