/** The shared heading pieces of a document's pages. */
import { html, type SafeHtml } from '../html.js';
import { paths } from '../paths.js';
import type { Crumb } from '../layout.js';
import type { DocAddress } from '../context.js';

export function docName(doc: DocAddress): string {
  return `${doc.type}/${doc.key} (${doc.locale})`;
}

export function docCrumbs(doc: DocAddress, siteName: string, last?: string): Crumb[] {
  const crumbs: Crumb[] = [
    { label: 'Sites', href: paths.sites() },
    { label: siteName, href: paths.site(doc.site) },
    { label: docName(doc), href: paths.doc(doc) },
  ];
  if (last) crumbs.push({ label: last });
  return crumbs;
}

export function versionLink(doc: DocAddress, number: number): SafeHtml {
  return html`<a href="${paths.version(doc, number)}">version ${number}</a>`;
}
