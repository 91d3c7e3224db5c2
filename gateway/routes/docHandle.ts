import type { DocHandle, EmbeddedStore } from '../../lib/types.js';

/** The document a `/v1/sites/:site/docs/:type/:key/:locale/...` path names. */
export function docOf(store: EmbeddedStore, params: Record<string, string>): DocHandle {
  return store.site(params.site!).doc(params.type!, params.key!, params.locale!);
}

export const DOC_PATH = '/v1/sites/:site/docs/:type/:key/:locale';

export const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
