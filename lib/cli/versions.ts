/** How versions read on a terminal, shared by save, log, publish and rollback. */
import { ValidationError } from '../errors/index.js';
import type { Author, Version } from '../types.js';
import type { Palette } from './output.js';

export function addressOf(v: Pick<Version, 'type' | 'key' | 'locale'>): string {
  return `${v.type}/${v.key}/${v.locale}`;
}

export function shortCommit(commit: string): string {
  return commit.slice(0, 7);
}

/** The `draft` / `published` markers of a version, coloured. */
export function markers(v: Pick<Version, 'isCurrentDraft' | 'isCurrentPublished'>, c: Palette): string {
  return [v.isCurrentDraft ? c.yellow('draft') : '', v.isCurrentPublished ? c.green('published') : ''].filter(Boolean).join(' ');
}

/** "version 3 (a1b2c3d) on main [draft published]". */
export function describeVersion(v: Version, c: Palette): string {
  const m = markers(v, c);
  return `version ${c.bold(String(v.number))} (${c.cyan(shortCommit(v.commit))}) on ${v.branch}${m ? ` [${m}]` : ''}`;
}

/** --author and --email as an Author, or undefined for the store's default. */
export function authorFrom(opts: { author?: string; email?: string }): Author | undefined {
  if (opts.author === undefined) {
    if (opts.email !== undefined) throw new ValidationError('--email needs --author NAME too', { field: 'author' });
    return undefined;
  }
  return opts.email === undefined ? { name: opts.author } : { name: opts.author, email: opts.email };
}
