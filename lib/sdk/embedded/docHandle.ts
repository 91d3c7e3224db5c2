/** The embedded DocHandle: parses the address once per call, then runs one operation. */
import { parseLocale, parseSlug } from '../../ids.js';
import { archive } from '../../ops/archive.js';
import { addComment } from '../../ops/comments.js';
import { embeddedDocReview } from './docReview.js';
import { createPreview } from '../../ops/previews.js';
import { tag } from '../../ops/tag.js';
import type { OpContext, SiteRef } from '../../ops/context.js';
import { diff } from '../../ops/diff.js';
import { log } from '../../ops/log.js';
import { publish } from '../../ops/publish.js';
import { rollback } from '../../ops/rollback.js';
import { save } from '../../ops/save.js';
import { show } from '../../ops/show.js';
import type { DocAddr } from '../../ops/toVersion.js';
import { unpublish } from '../../ops/unpublish.js';
import type { DocHandle } from '../../types.js';

export function embeddedDocHandle(ctx: OpContext, loadSite: () => Promise<SiteRef>, type: string, key: string, locale?: string): DocHandle {
  const resolve = async (): Promise<{ site: SiteRef; doc: DocAddr }> => {
    const site = await loadSite();
    const doc = { type: parseSlug(type, 'type'), key: parseSlug(key, 'key'), locale: parseLocale(locale ?? site.defaultLocale) };
    return { site, doc };
  };
  return {
    save: async (input) => save({ ctx, ...(await resolve()), input }),
    log: async (opts) => log({ ctx, ...(await resolve()), opts }),
    show: async (ref) => show({ ctx, ...(await resolve()), ref }),
    diff: async (from, to, opts) => diff({ ctx, ...(await resolve()), from, to, format: opts?.format, signal: opts?.signal }),
    publish: async (ref) => publish({ ctx, ...(await resolve()), ref }),
    unpublish: async () => unpublish({ ctx, ...(await resolve()) }),
    rollback: async (to, opts) => rollback({ ctx, ...(await resolve()), to, opts }),
    archive: async () => archive({ ctx, ...(await resolve()) }),
    comment: async (ref, input) => addComment({ ctx, ...(await resolve()), ref, input }),
    preview: async (ref, opts) => createPreview({ ctx, ...(await resolve()), ref, opts }),
    tag: async (ref, name, opts) => tag({ ctx, ...(await resolve()), ref, name, opts }),
    ...embeddedDocReview(ctx, resolve),
  };
}
