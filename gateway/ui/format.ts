/** Small text formatters shared by the pages. */
import { html, type SafeHtml } from './html.js';
import type { Author, Version } from '../../lib/types.js';

/** `2024-05-01 12:34 UTC` inside a <time> carrying the exact instant. */
export function timeTag(iso: string): SafeHtml {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return html`<span>${iso}</span>`;
  const label = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return html`<time datetime="${date.toISOString()}">${label}</time>`;
}

export function authorLabel(author: Author | undefined): string {
  if (!author || !author.name) return 'unknown';
  return author.email ? `${author.name} <${author.email}>` : author.name;
}

const SOURCES: Record<string, string> = { user: 'editor', ai_generation: 'AI generated', ai_edit: 'AI edited', git: 'Git', integration: 'pulled from an integration' };

export function sourceLabel(source: string): string {
  return SOURCES[source] ?? source;
}

/** Text badges (never colour alone) for the current draft and the published version. */
export function versionMarkers(version: Pick<Version, 'isCurrentDraft' | 'isCurrentPublished'>): SafeHtml {
  return html`${version.isCurrentPublished ? html`<span class="badge badge-published">Published</span>` : ''}${
    version.isCurrentDraft ? html`<span class="badge badge-draft">Current draft</span>` : ''
  }`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
