/** URLs of the editors' pages; the contract mounts them at /ui. */
import type { DocAddress } from './context.js';

export const UI_BASE = '/ui';

type QueryValue = string | number | boolean | undefined;

/** Appends the defined, non-empty parameters as a query string. */
export function withQuery(path: string, params: Record<string, QueryValue>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === '' || value === false) continue;
    query.set(name, value === true ? '1' : String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

const seg = encodeURIComponent;

export const paths = {
  signIn: (next?: string): string => withQuery(`${UI_BASE}/sign-in`, { next }),
  signOut: (): string => `${UI_BASE}/sign-out`,
  sites: (): string => `${UI_BASE}/sites`,
  site: (site: string, query: Record<string, QueryValue> = {}): string => withQuery(`${UI_BASE}/sites/${seg(site)}`, query),
  doc: (d: DocAddress, query: Record<string, QueryValue> = {}): string =>
    withQuery(`${UI_BASE}/sites/${seg(d.site)}/docs/${seg(d.type)}/${seg(d.key)}/${seg(d.locale)}`, query),
  version: (d: DocAddress, ref: number | string): string => `${paths.doc(d)}/versions/${seg(String(ref))}`,
  compare: (d: DocAddress, query: Record<string, QueryValue>): string => withQuery(`${paths.doc(d)}/compare`, query),
  publish: (d: DocAddress, query: Record<string, QueryValue> = {}): string => withQuery(`${paths.doc(d)}/publish`, query),
  rollback: (d: DocAddress, query: Record<string, QueryValue> = {}): string => withQuery(`${paths.doc(d)}/rollback`, query),
  merge: (site: string, query: Record<string, QueryValue> = {}): string => withQuery(`${UI_BASE}/sites/${seg(site)}/merge`, query),
  asset: (name: string, hash: string): string => `${UI_BASE}/assets/${name}?v=${hash}`,
};

/** Accepts only a same-origin path inside the pages as a post-sign-in destination. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string') return paths.sites();
  const ok = next.startsWith(`${UI_BASE}/`) && !next.startsWith('//') && !/[\\\r\n]/.test(next) && !next.includes('//');
  return ok ? next : paths.sites();
}
