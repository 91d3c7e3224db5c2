/** The embedded DocHandle: parses the address once per call, then runs one operation. */
import { parseLocale, parseSiteId, parseSlug } from '../../ids.js';
import { checkCall } from '../../schemas/calls.js';
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
import { push } from '../../ops/integrations/push.js';
import { pull } from '../../ops/integrations/pull.js';
import { listMappings } from '../../ops/integrations/listMappings.js';

export function embeddedDocHandle(ctx: OpContext, loadSite: () => Promise<SiteRef>, type: string, key: string, locale?: string, siteId?: string): DocHandle {
  // The same order of checks as the remote client: the call's arguments (`check`, first),
  // then the site id, type, key and an explicit locale, then the site itself.
  const resolve = async (): Promise<{ site: SiteRef; doc: DocAddr }> => {
    if (siteId !== undefined) parseSiteId(siteId);
    const t = parseSlug(type, 'type');
    const k = parseSlug(key, 'key');
    const given = locale === undefined ? undefined : parseLocale(locale);
    const site = await loadSite();
    return { site, doc: { type: t, key: k, locale: given ?? parseLocale(site.defaultLocale) } };
  };
  return {
    save: async (input) => (checkCall.save(input), save({ ctx, ...(await resolve()), input })),
    log: async (opts) => (checkCall.log(opts), log({ ctx, ...(await resolve()), opts })),
    show: async (ref) => show({ ctx, ref: checkCall.show(ref), ...(await resolve()) }),
    diff: async (from, to, opts) => {
      const [a, b] = checkCall.diff(from, to, opts);
      return diff({ ctx, ...(await resolve()), from: a, to: b, format: opts?.format, signal: opts?.signal });
    },
    publish: async (ref) => publish({ ctx, ref: checkCall.publish(ref), ...(await resolve()) }),
    unpublish: async () => unpublish({ ctx, ...(await resolve()) }),
    rollback: async (to, opts) => rollback({ ctx, to: checkCall.rollback(to, opts), ...(await resolve()), opts }),
    archive: async () => archive({ ctx, ...(await resolve()) }),
    comment: async (ref, input) => addComment({ ctx, ref: checkCall.comment(ref, input), ...(await resolve()), input }),
    preview: async (ref, opts) => createPreview({ ctx, ref: checkCall.preview(ref, opts), ...(await resolve()), opts }),
    tag: async (ref, name, opts) => tag({ ctx, ref: checkCall.tag(ref, name, opts), ...(await resolve()), name, opts }),
    push: async (integration, opts) => (checkCall.push(integration, opts), push({ ctx, ...(await resolve()), integration, opts })),
    pull: async (integration, opts) => (checkCall.pull(integration, opts), pull({ ctx, ...(await resolve()), integration, opts })),
    mappings: async () => listMappings({ ctx, ...(await resolve()) }),
    ...embeddedDocReview(ctx, resolve),
  };
}
