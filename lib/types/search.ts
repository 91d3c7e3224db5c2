/** Records of full-text search (0.2). Re-exported by lib/types.ts. */
import type { DocSummary } from '../types.js';

export interface SearchOptions {
  type?: string;
  locale?: string;
  state?: 'draft' | 'published';
  history?: boolean;
  limit?: number;
  cursor?: string;
}

export interface SearchHit {
  doc: DocSummary;
  versionNumber: number;
  /** Matches in <mark>…</mark>; everything else HTML-escaped. */
  snippet: string;
  rank: number;
}
