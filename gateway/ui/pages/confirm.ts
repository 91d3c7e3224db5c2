/** Confirmation steps before publishing a version or rolling back to one. */
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { paths } from '../paths.js';
import { authorLabel, sourceLabel, timeTag, versionMarkers } from '../format.js';
import { docCrumbs, docName } from './docTitle.js';
import type { DocAddress, UiContext } from '../context.js';
import type { Version } from '../../../lib/types.js';

export interface ConfirmView {
  ctx: UiContext;
  doc: DocAddress;
  siteName: string;
  /** The version to publish, or to roll back to. */
  target: Version;
  draft?: Version;
  published?: Version;
}

function versionSummary(doc: DocAddress, version: Version): SafeHtml {
  return html`<div class="card"><dl>
  <dt>Version</dt><dd><a href="${paths.version(doc, version.number)}">${version.number}</a> ${versionMarkers(version)}</dd>
  <dt>Message</dt><dd>${version.message || html`<span class="muted">(no message)</span>`}</dd>
  <dt>Author</dt><dd>${authorLabel(version.author)} <span class="muted">(${sourceLabel(version.source)})</span></dd>
  <dt>Saved</dt><dd>${timeTag(version.createdAt)} · ${version.kind}</dd>
</dl></div>`;
}

export function renderConfirmPublish(view: ConfirmView): string {
  const { doc, target, published } = view;
  const current = published
    ? html`<p>Version ${published.number} is published now. Readers will see version ${target.number} instead.
        <a href="${paths.compare(doc, { from: published.number, to: target.number })}">Compare the two</a>.</p>`
    : html`<p>Nothing is published yet. Readers will see version ${target.number}.</p>`;
  const body = html`<h1>Publish version ${target.number}?</h1>
${versionSummary(doc, target)}
${current}
<form method="post" action="${paths.publish(doc)}" class="actions">
  <input type="hidden" name="csrf" value="${view.ctx.csrf}">
  <input type="hidden" name="ref" value="${target.number}">
  <button type="submit" class="primary">Publish version ${target.number}</button>
  <a href="${paths.doc(doc)}">Cancel</a>
</form>`;
  return layout({ title: `Publish version ${target.number} · ${docName(doc)}`, ctx: view.ctx, crumbs: docCrumbs(doc, view.siteName, 'Publish'), body });
}

export function renderConfirmRollback(view: ConfirmView): string {
  const { doc, target, draft } = view;
  const compare = draft
    ? html`<p><a href="${paths.compare(doc, { from: draft.number, to: target.number })}">Compare the current draft (version ${draft.number}) with version ${target.number}</a>
        to see what the rollback changes.</p>`
    : '';
  const body = html`<h1>Roll back to version ${target.number}?</h1>
${versionSummary(doc, target)}
<p>This saves a <strong>new version</strong> whose content equals version ${target.number}. No version is deleted: you can always roll forward again.</p>
${compare}
<form method="post" action="${paths.rollback(doc)}">
  <input type="hidden" name="csrf" value="${view.ctx.csrf}">
  <input type="hidden" name="ref" value="${target.number}">
  <div class="field">
    <label for="rb-message">Message</label>
    <input id="rb-message" type="text" name="message" maxlength="500" size="60" value="Roll back to version ${target.number}">
  </div>
  <div class="field"><label class="toggle"><input type="checkbox" name="publish" value="1"> Also publish the restored version</label></div>
  <div class="actions"><button type="submit" class="primary">Roll back to version ${target.number}</button> <a href="${paths.doc(doc)}">Cancel</a></div>
</form>`;
  return layout({ title: `Roll back to version ${target.number} · ${docName(doc)}`, ctx: view.ctx, crumbs: docCrumbs(doc, view.siteName, 'Roll back'), body });
}
