/**
 * Path templates map a document to a file in the external repository: `{type}`, `{key}`,
 * `{locale}` and `{ext}` (json, md or txt). The result must be a relative path without `.` or
 * `..` segments, empty segments, backslashes or control characters, so it cannot leave the
 * repository or name something Git refuses.
 */
import { ValidationError } from '../errors/index.js';
import type { Format } from '../types.js';

export const DEFAULT_PATH_TEMPLATE = '{type}/{key}/{locale}.{ext}';
const EXT: Record<Format, string> = { json: 'json', markdown: 'md', text: 'txt' };

export function checkPath(path: string, field: string): string {
  const bad =
    path.length === 0 || path.length > 1024 || path.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(path) ||
    path.split('/').some((s) => s === '' || s === '.' || s === '..' || s === '.git');
  if (bad) throw new ValidationError(`${field} must be a relative path without empty, '.', '..' or '.git' segments, got ${JSON.stringify(path.slice(0, 80))}`, { field, path: path.slice(0, 200) });
  return path;
}

/** Checks a template by expanding it for a sample document (unknown placeholders refused). */
export function parsePathTemplate(value: unknown): string {
  if (value === undefined) return DEFAULT_PATH_TEMPLATE;
  if (typeof value !== 'string' || value.length > 500) throw new ValidationError('pathTemplate must be a string of at most 500 characters', { field: 'pathTemplate' });
  const unknown = [...value.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((n) => !['type', 'key', 'locale', 'ext'].includes(n!));
  if (unknown.length) throw new ValidationError(`pathTemplate has unknown placeholder {${unknown[0]}}; use {type}, {key}, {locale}, {ext}`, { field: 'pathTemplate' });
  checkPath(expandPath(value, { type: 'type', key: 'key', locale: 'en' }, 'json'), 'pathTemplate');
  return value;
}

export function expandPath(template: string, doc: { type: string; key: string; locale: string }, format: Format): string {
  return template.replace(/\{(type|key|locale|ext)\}/g, (_, name: string) => (name === 'ext' ? EXT[format] : doc[name as 'type' | 'key' | 'locale']));
}
