/** Reading the pages' query and form values, which arrive as strings, arrays or nothing. */
import { ValidationError } from '../../lib/errors/index.js';
import { parseVersionRef } from '../../lib/schemas/calls.js';
import type { VersionRef } from '../../lib/types.js';
import type { DocAddress } from './context.js';

/** The first string value of a query or form field, trimmed; undefined when absent or empty. */
export function one(source: unknown, name: string): string | undefined {
  if (!source || typeof source !== 'object') return undefined;
  const value = (source as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return undefined;
  const trimmed = first.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Every string value of a field (checkboxes send one per box). */
export function all(source: unknown, name: string): string[] {
  if (!source || typeof source !== 'object') return [];
  const value = (source as Record<string, unknown>)[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

/** A version number, or a ref the store understands ('draft', 'published', a hash, a branch, tag:…, label:…). */
export function parseRef(value: string | undefined, field: string): VersionRef {
  if (value === undefined) throw new ValidationError(`${field} is required: pick a version`, { field });
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(value) || /^(?:tag:v?[0-9A-Za-z.+-]{1,100}|label:[a-z0-9-]{1,63})$/.test(value)) return parseVersionRef(value, field);
  throw new ValidationError(`${field} must be a version number, got ${JSON.stringify(value.slice(0, 40))}`, { field });
}

export function docAddressOf(params: Record<string, string | string[] | undefined>): DocAddress {
  const pick = (name: string): string => {
    const value = params[name];
    return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  };
  return { site: pick('site'), type: pick('type'), key: pick('key'), locale: pick('locale') };
}
