/** Loading what every document page needs, with the caller's site scope applied first. */
import type { Request } from 'express';
import { NotFoundError } from '../../../lib/errors/index.js';
import type { DocHandle, EmbeddedStore, Site, Version, VersionRef } from '../../../lib/types.js';
import { assertCanSee, type DocAddress, type UiContext } from '../context.js';
import { docAddressOf } from '../params.js';

export interface LoadedDoc {
  address: DocAddress;
  site: Site;
  handle: DocHandle;
}

/** @throws NotFoundError when the key may not see the site or the site does not exist. */
export async function loadDoc(store: EmbeddedStore, ctx: UiContext, req: Request): Promise<LoadedDoc> {
  const address = docAddressOf(req.params as Record<string, string>);
  assertCanSee(ctx.principal, address.site);
  const site = await store.getSite(address.site);
  return { address, site, handle: store.site(site.id).doc(address.type, address.key, address.locale) };
}

/** The version a ref names, or undefined when there is none (e.g. nothing published yet). */
export async function findVersion(handle: DocHandle, ref: VersionRef): Promise<(Version & { content: unknown }) | undefined> {
  try {
    return await handle.show(ref);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/** The current draft and published versions, without their contents. */
export async function currentVersions(handle: DocHandle): Promise<{ draft?: Version; published?: Version }> {
  const [draft, published] = await Promise.all([findVersion(handle, 'draft'), findVersion(handle, 'published')]);
  return { draft: draft && withoutContent(draft), published: published && withoutContent(published) };
}

export function withoutContent(version: Version & { content?: unknown }): Version {
  const { content: _content, ...rest } = version;
  return rest;
}
