/** Reads an annotated tag object (git's text format: headers, a blank line, the message). */
import type { Oid } from '../types.js';
import type { RepoContext } from './context.js';
import { readContent } from './readObject.js';
import type { TagInfo } from './types.js';

export async function readTag(ctx: RepoContext, oid: Oid): Promise<TagInfo> {
  const text = new TextDecoder().decode(await readContent(ctx, oid, 'tag'));
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const message = split < 0 ? '' : text.slice(split + 2);
  const field = (name: string) => head.split('\n').find((l) => l.startsWith(`${name} `))?.slice(name.length + 1);
  // A signature, when present, follows the message; it is not part of the changelog.
  const sig = message.indexOf('-----BEGIN PGP SIGNATURE-----');
  const tagger = /^(.*?) <[^>]*> \d+ [+-]\d{4}$/.exec(field('tagger') ?? '')?.[1];
  return { oid, object: (field('object') ?? '') as Oid, type: field('type') ?? '', tag: field('tag') ?? '', message: sig < 0 ? message : message.slice(0, sig), ...(tagger ? { tagger } : {}) };
}
