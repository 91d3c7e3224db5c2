/**
 * diff: compares two versions of a document as a unified line diff, word parts, or JSON fields.
 * The work runs in the diff workers (lib/diff/pool.ts) under a time and edit budget: past the
 * edit budget the answer is coarse (`coarse: true`), past the time budget TooLargeError.
 * Results are cached by everything the answer depends on: the format, both blobs, and the path
 * and version numbers the unified headers name (a cache keyed by blobs alone once answered one
 * document's diff with another's headers).
 */
import { ValidationError } from '../errors/index.js';
import { docPath } from '../ids.js';
import type { DiffBody } from '../diff/tasks.js';
import { WeightedLru } from '../objects/lru.js';
import type { Diff, Oid, VersionRef } from '../types.js';
import type { OpContext, SiteRef } from './context.js';
import { parseEnum } from './inputs.js';
import { requireDocument } from './requireDocument.js';
import { resolveRef } from './resolveRef.js';
import type { DocAddr } from './toVersion.js';

type DiffFormat = Diff['format'];
const FORMATS = ['unified', 'json', 'words'] as const;
// Bounded by size, not count: one 1 MB diff weighs as much as a thousand small ones. Never
// stale: every input of the answer is in the key, and blobs are content-addressed.
const CACHE_BYTES = 32 * 1024 * 1024;
const cacheByStore = new WeakMap<OpContext, WeightedLru<string, DiffBody>>();

export interface DiffArgs {
  ctx: OpContext;
  site: SiteRef;
  doc: DocAddr;
  from: VersionRef;
  to: VersionRef;
  format?: DiffFormat;
  /** Cancels the computation (the HTTP client left). */
  signal?: AbortSignal;
}

export async function diff({ ctx, site, doc, from, to, format, signal }: DiffArgs): Promise<Diff> {
  const fmt = parseEnum(format, FORMATS, 'format', 'unified');
  const document = await requireDocument(ctx.knex, site, doc);
  const a = await resolveRef(ctx.knex, site.id, document.id, from, 'from');
  const b = await resolveRef(ctx.knex, site.id, document.id, to, 'to');
  if (fmt === 'json' && document.format !== 'json') {
    throw new ValidationError('format json compares JSON documents; use unified or words for text', { field: 'format' });
  }
  let cache = cacheByStore.get(ctx);
  if (!cache) cacheByStore.set(ctx, (cache = new WeightedLru(CACHE_BYTES)));
  const path = docPath(doc.type, doc.key, doc.locale, document.format);
  const cacheKey = `${fmt}\0${path}\0${a.number}\0${b.number}\0${a.blob_hash}\0${b.blob_hash}`;
  let body = cache.get(cacheKey);
  if (!body) {
    const repo = ctx.repo(site.slug);
    const [ba, bb] = await Promise.all([repo.readBlob(a.blob_hash as Oid), repo.readBlob(b.blob_hash as Oid)]);
    const textA = Buffer.from(ba).toString('utf8');
    const textB = Buffer.from(bb).toString('utf8');
    body = await ctx.diffs.run<DiffBody>(
      { kind: 'diff', format: fmt, a: textA, b: textB, path, from: a.number, to: b.number, docFormat: document.format },
      { signal },
    );
    cache.set(cacheKey, body, textA.length + textB.length + 256);
  }
  return { from: { number: a.number, commit: a.commit_hash }, to: { number: b.number, commit: b.commit_hash }, ...body };
}
