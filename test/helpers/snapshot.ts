/** Everything the history index says about a site, read through the public Store interface. */
import type { Store } from '../../lib/types.js';

export async function snapshotSite(store: Store, site: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  let cursor: string | undefined;
  do {
    const page = await store.site(site).docs({ limit: 200, cursor });
    for (const d of page.items) {
      const versions: unknown[] = [];
      let vc: string | undefined;
      do {
        const log = await store.site(site).doc(d.type, d.key, d.locale).log({ limit: 500, cursor: vc });
        // The id is the index row's own key, new on reindex; everything else comes from Git.
        for (const { id: _id, ...v } of log.items) versions.push(v);
        vc = log.next;
      } while (vc);
      out[`${d.type}/${d.key}/${d.locale}`] = [{ archived: d.archived, latest: d.latestVersion }, ...versions];
    }
    cursor = page.next;
  } while (cursor);
  return out;
}
