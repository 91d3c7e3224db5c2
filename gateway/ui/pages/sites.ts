/** The site picker: the sites the key may see. */
import { html } from '../html.js';
import { layout } from '../layout.js';
import { paths } from '../paths.js';
import type { UiContext } from '../context.js';
import type { Site } from '../../../lib/types.js';

export function renderSites(view: { ctx: UiContext; sites: Site[] }): string {
  const list = view.sites.length
    ? html`<ul class="site-list">${view.sites.map(
        (site) => html`<li><a href="${paths.site(site.id)}"><strong>${site.name}</strong>
          <span class="muted">${site.id} · ${site.locales.join(', ') || site.defaultLocale}</span></a></li>`,
      )}</ul>`
    : html`<p>No sites yet. Create one with <code>verso site create</code>.</p>`;
  return layout({ title: 'Sites', ctx: view.ctx, crumbs: [{ label: 'Sites' }], body: html`<h1>Sites</h1>${list}` });
}
