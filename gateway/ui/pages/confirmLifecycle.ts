/** Confirmation steps before unpublishing a document or archiving it. */
import { html } from '../html.js';
import { layout } from '../layout.js';
import { paths } from '../paths.js';
import { docCrumbs, docName } from './docTitle.js';
import type { DocAddress, UiContext } from '../context.js';
import type { Version } from '../../../lib/types.js';

export interface LifecycleView {
  ctx: UiContext;
  doc: DocAddress;
  siteName: string;
  published?: Version;
}

export function renderConfirmUnpublish(view: LifecycleView): string {
  const { doc, published } = view;
  const body = html`<h1>Unpublish ${docName(doc)}?</h1>
${published
    ? html`<p>Version ${published.number} is published now. After this, readers see nothing at this address; every version stays in the history and can be published again.</p>`
    : html`<p>Nothing is published. There is nothing to unpublish.</p>`}
<form method="post" action="${paths.unpublish(doc)}" class="actions">
  <input type="hidden" name="csrf" value="${view.ctx.csrf}">
  ${published ? html`<button type="submit" class="primary">Unpublish</button>` : ''}
  <a href="${paths.doc(doc)}">Cancel</a>
</form>`;
  return layout({ title: `Unpublish · ${docName(doc)}`, ctx: view.ctx, crumbs: docCrumbs(doc, view.siteName, 'Unpublish'), body });
}

export function renderConfirmArchive(view: LifecycleView): string {
  const { doc } = view;
  const body = html`<h1>Archive ${docName(doc)}?</h1>
<p>The document leaves the working line and the live site (it is also unpublished). No version is deleted: its history stays, and saving it again brings it back.</p>
<form method="post" action="${paths.archive(doc)}" class="actions">
  <input type="hidden" name="csrf" value="${view.ctx.csrf}">
  <button type="submit" class="primary">Archive</button>
  <a href="${paths.doc(doc)}">Cancel</a>
</form>`;
  return layout({ title: `Archive · ${docName(doc)}`, ctx: view.ctx, crumbs: docCrumbs(doc, view.siteName, 'Archive'), body });
}
