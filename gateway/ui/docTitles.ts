/**
 * A document's title for the pages: its JSON `title` (or `name`) field, or a markdown
 * document's first heading. Read from the current draft (the latest version when archived).
 */
import type { DocHandle, DocSummary, EmbeddedStore } from '../../lib/types.js';

export function titleOf(content: unknown): string | undefined {
  if (typeof content === 'string') {
    const heading = /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(content);
    return heading?.[1]?.trim() || undefined;
  }
  if (content && typeof content === 'object' && !Array.isArray(content)) {
    for (const field of ['title', 'name']) {
      const value = (content as Record<string, unknown>)[field];
      if (typeof value === 'string' && value.trim()) return value.trim();
    }
  }
  return undefined;
}

export async function titleOfDoc(handle: DocHandle, version: number): Promise<string | undefined> {
  return titleOf((await handle.show(version)).content);
}

/** Titles of one page of documents, keyed `type/key/locale` (one show per document, in parallel). */
export async function titlesOf(store: EmbeddedStore, site: string, docs: DocSummary[]): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  await Promise.all(
    docs.map(async (d) => {
      const title = await titleOfDoc(store.site(site).doc(d.type, d.key, d.locale), d.draftVersion ?? d.latestVersion).catch(() => undefined);
      if (title) titles.set(`${d.type}/${d.key}/${d.locale}`, title);
    }),
  );
  return titles;
}
