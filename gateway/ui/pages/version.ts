/** One version's content and details. */
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { paths } from '../paths.js';
import { authorLabel, sourceLabel, timeTag, versionMarkers } from '../format.js';
import { contentAsText } from '../../../lib/diff/rows.js';
import { docCrumbs, docName } from './docTitle.js';
import type { DocAddress, UiContext } from '../context.js';
import type { Version } from '../../../lib/types.js';

export interface VersionView {
  ctx: UiContext;
  doc: DocAddress;
  siteName: string;
  version: Version & { content: unknown };
  canWrite: boolean;
  /** Preview links and the comments panel (pages/review.ts). */
  review?: SafeHtml;
}

/** Content with line numbers, so a comment can name the lines it is about. */
function numbered(text: string): SafeHtml {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return html`${lines.map((line, i) => html`<span class="line" data-line="${i + 1}">${line}
</span>`)}`;
}

export function renderVersion(view: VersionView): string {
  const { doc, version } = view;
  const n = version.number;
  const body = html`<h1>Version ${n} <span class="muted">of ${docName(doc)}</span> ${versionMarkers(version)}</h1>
<div class="card"><dl>
  <dt>Message</dt><dd>${version.message || html`<span class="muted">(no message)</span>`}</dd>
  <dt>Author</dt><dd>${authorLabel(version.author)} <span class="muted">(${sourceLabel(version.source)})</span></dd>
  <dt>Saved</dt><dd>${timeTag(version.createdAt)} · ${version.kind} · branch ${version.branch}</dd>
  <dt>Commit</dt><dd><code>${version.commit}</code></dd>
</dl></div>
<div class="actions">
  ${n > 1 ? html`<a class="button" href="${paths.compare(doc, { from: n - 1, to: n })}">Compare with version ${n - 1}</a>` : ''}
  ${view.canWrite && !version.isCurrentPublished ? html`<a class="button" href="${paths.publish(doc, { ref: n })}">Publish version ${n}</a>` : ''}
  ${view.canWrite && !version.isCurrentDraft ? html`<a class="button" href="${paths.rollback(doc, { ref: n })}">Roll back to version ${n}</a>` : ''}
</div>
<h2>Content</h2>
<pre class="content" tabindex="0" aria-label="Content of version ${n}">${numbered(contentAsText(version.content))}</pre>
${view.review ?? ''}`;
  return layout({ title: `Version ${n} · ${docName(doc)}`, ctx: view.ctx, crumbs: docCrumbs(doc, view.siteName, `Version ${n}`), body });
}
