/**
 * The demo site `verso serve` creates on first start, so a new user has history to look at
 * at once: a JSON page with three versions (the second published), its French translation,
 * and a markdown PRD with two versions.
 */
import type { Store } from '../types.js';

export const DEMO_SITE = 'demo';

export interface DemoSeed {
  site: string;
  documents: string[];
}

const ADA = { name: 'Ada Lovelace', email: 'ada@example.com' };
const GRACE = { name: 'Grace Hopper', email: 'grace@example.com' };

const PRD_V1 = `# Search v2

## Problem
Editors cannot find a page unless they know its key.

## Goal
Find any document by title or body text in under 200 ms.
`;

const PRD_V2 = `${PRD_V1}
## Scope
- Full-text search over the current draft of every document
- Filters: type, locale, published state
- Out of scope: search inside older versions
`;

/**
 * Creates the demo site and its documents through the public Store interface only.
 * @throws ConflictError when a site `demo` exists already.
 * @example
 *   if ((await store.listSites()).length === 0) await seedDemo(store);
 */
export async function seedDemo(store: Store): Promise<DemoSeed> {
  await store.createSite({ id: DEMO_SITE, name: 'Demo site', locales: ['en', 'fr'], defaultLocale: 'en', domains: ['demo.localhost'] });
  const site = store.site(DEMO_SITE);

  const home = site.doc('page', 'home', 'en');
  await home.save({
    content: { title: 'Welcome', hero: { headline: 'Every change, kept', cta: 'Get started' }, sections: ['features'] },
    message: 'First draft of the home page',
    author: ADA,
  });
  await home.save({
    content: { title: 'Welcome', hero: { headline: 'Every change kept, every version one click away', cta: 'Start free' }, sections: ['features', 'testimonials'] },
    message: 'Sharper headline, add testimonials',
    author: GRACE,
  });
  await home.publish(2);
  await home.save({
    content: { title: 'Welcome', hero: { headline: 'Every change kept, every version one click away', cta: 'Start free' }, sections: ['features', 'testimonials', 'pricing'] },
    message: 'Add the pricing section',
    author: ADA,
  });

  const homeFr = site.doc('page', 'home', 'fr');
  await homeFr.save({
    content: { title: 'Bienvenue', hero: { headline: 'Chaque modification conservée', cta: 'Commencer' }, sections: ['features'] },
    message: 'Traduction française',
    author: GRACE,
  });
  await homeFr.publish();

  const prd = site.doc('prd', 'search', 'en');
  await prd.save({ content: PRD_V1, format: 'markdown', message: 'Problem and goal', author: GRACE });
  await prd.save({ content: PRD_V2, format: 'markdown', message: 'Add scope', author: ADA });

  return { site: DEMO_SITE, documents: ['page/home/en', 'page/home/fr', 'prd/search/en'] };
}
