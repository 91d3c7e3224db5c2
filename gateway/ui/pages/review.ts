/**
 * The review pieces of the document pages: the comments panel (threads, types, resolve, reply,
 * stale badges) beside the version and compare pages, preview links on the version page, and
 * labels and tags on the history page. Every form posts with the session's CSRF token and comes
 * back to the page it was sent from.
 */
import { html, type SafeHtml } from '../html.js';
import { paths } from '../paths.js';
import { authorLabel, plural, timeTag } from '../format.js';
import type { DocAddress, UiContext } from '../context.js';
import type { Comment, Label, LabelMove, PreviewInfo, Tag } from '../../../lib/types.js';

const TYPE_LABELS: Record<Comment['type'], string> = { comment: 'Comment', suggestion: 'Suggestion', approval: 'Approval', change_request: 'Change request' };

export const reviewPaths = {
  comments: (d: DocAddress): string => `${paths.doc(d)}/comments`,
  resolve: (d: DocAddress, id: string): string => `${paths.doc(d)}/comments/${encodeURIComponent(id)}/resolve`,
  labels: (d: DocAddress): string => `${paths.doc(d)}/labels`,
  previews: (d: DocAddress): string => `${paths.doc(d)}/previews`,
  revoke: (d: DocAddress, id: string): string => `${paths.doc(d)}/previews/${encodeURIComponent(id)}/revoke`,
};

const hidden = (ctx: UiContext, back: string): SafeHtml =>
  html`<input type="hidden" name="csrf" value="${ctx.csrf}"><input type="hidden" name="back" value="${back}">`;

export interface CommentsPanelArgs {
  ctx: UiContext;
  doc: DocAddress;
  /** The version the page shows: new comments go on it, staleness is judged against it. */
  versionNumber: number;
  comments: Comment[];
  canWrite: boolean;
  back: string;
}

function commentBadges(c: Comment, shown: number): SafeHtml {
  return html`<span class="badge badge-type badge-${c.type}">${TYPE_LABELS[c.type]}</span>
${c.versionNumber !== shown ? html`<span class="badge badge-kind">on version ${c.versionNumber}</span>` : ''}
${c.stale ? html`<span class="badge badge-stale" title="The lines it was written on changed in version ${shown}">stale</span>` : ''}
${c.resolved ? html`<span class="badge badge-resolved">resolved${c.resolvedBy ? ` by ${c.resolvedBy.name}` : ''}</span>` : ''}`;
}

function commentItem(a: CommentsPanelArgs, c: Comment, replies: Comment[]): SafeHtml {
  const where = c.anchor ? (c.anchor.startLine === c.anchor.endLine ? `line ${c.anchor.startLine}` : `lines ${c.anchor.startLine}–${c.anchor.endLine}`) : '';
  const resolveForm = a.canWrite
    ? html`<form method="post" action="${reviewPaths.resolve(a.doc, c.id)}" class="inline">${hidden(a.ctx, a.back)}
  <input type="hidden" name="resolved" value="${c.resolved ? '0' : '1'}">
  <button type="submit" class="small">${c.resolved ? 'Reopen' : 'Resolve'}</button></form>`
    : '';
  const replyForm = a.canWrite && c.versionNumber === a.versionNumber
    ? html`<details class="reply"><summary>Reply</summary>
  <form method="post" action="${reviewPaths.comments(a.doc)}">${hidden(a.ctx, a.back)}
    <input type="hidden" name="ref" value="${a.versionNumber}"><input type="hidden" name="parent" value="${c.id}">
    <label class="sr-only" for="reply-${c.id}">Reply to ${c.author.name}</label>
    <textarea id="reply-${c.id}" name="body" rows="2" maxlength="20000" required></textarea>
    <button type="submit" class="small">Send reply</button>
  </form></details>`
    : '';
  return html`<li class="comment${c.resolved ? ' is-resolved' : ''}${c.stale ? ' is-stale' : ''}" data-comment="${c.id}">
  <div class="comment-head">${commentBadges(c, a.versionNumber)}</div>
  <p class="comment-meta"><strong>${authorLabel(c.author)}</strong> · ${timeTag(c.createdAt)}${where ? html` · <span class="anchor">${where}</span>` : ''}</p>
  <p class="comment-body">${c.body}</p>
  ${replies.length ? html`<ul class="replies">${replies.map((r) => html`<li class="comment reply-item" data-comment="${r.id}"><p class="comment-meta"><strong>${authorLabel(r.author)}</strong> · ${timeTag(r.createdAt)}</p><p class="comment-body">${r.body}</p></li>`)}</ul>` : ''}
  <div class="comment-actions">${resolveForm}${replyForm}</div>
</li>`;
}

export function commentsPanel(a: CommentsPanelArgs): SafeHtml {
  const tops = a.comments.filter((c) => !c.parentId);
  const repliesOf = (id: string) => a.comments.filter((c) => c.parentId === id);
  const open = tops.filter((c) => !c.resolved).length;
  const form = a.canWrite
    ? html`<form method="post" action="${reviewPaths.comments(a.doc)}" class="new-comment">${hidden(a.ctx, a.back)}
  <input type="hidden" name="ref" value="${a.versionNumber}">
  <div class="field"><label for="new-comment-body">Comment on version ${a.versionNumber}</label>
  <textarea id="new-comment-body" name="body" rows="3" maxlength="20000" required></textarea></div>
  <div class="field-row">
    <div class="field"><label for="new-comment-type">Type</label><select id="new-comment-type" name="type">
      ${Object.entries(TYPE_LABELS).map(([value, text]) => html`<option value="${value}">${text}</option>`)}</select></div>
    <div class="field"><label for="new-comment-from">From line</label><input id="new-comment-from" type="number" name="start" min="1" inputmode="numeric"></div>
    <div class="field"><label for="new-comment-to">to line</label><input id="new-comment-to" type="number" name="end" min="1" inputmode="numeric"></div>
  </div>
  <button type="submit" class="primary">Add comment</button>
</form>`
    : '';
  return html`<aside class="panel comments-panel" aria-labelledby="comments-title">
<h2 id="comments-title">Comments <span class="muted">(${plural(open, 'open thread')})</span></h2>
${tops.length ? html`<ul class="threads">${tops.map((c) => commentItem(a, c, repliesOf(c.id)))}</ul>` : html`<p class="muted">No comments yet.</p>`}
${form}
</aside>`;
}

export function previewsCard(a: { ctx: UiContext; doc: DocAddress; versionNumber: number; previews: PreviewInfo[]; domains: string[]; canWrite: boolean; back: string }): SafeHtml {
  const rows = a.previews.map((p) => html`<tr data-preview="${p.id}" class="${p.revoked ? 'is-revoked' : ''}">
  <td>${p.versionNumber !== undefined ? `version ${p.versionNumber}` : 'current draft'}</td><td>${p.domain ?? html`<span class="muted">any host</span>`}</td>
  <td>${p.uses}${p.maxUses !== undefined ? ` of ${p.maxUses}` : ''}</td><td>${p.revoked ? html`<span class="badge badge-stale">revoked</span>` : timeTag(p.expiresAt)}</td>
  <td>${a.canWrite && !p.revoked ? html`<form method="post" action="${reviewPaths.revoke(a.doc, p.id)}">${hidden(a.ctx, a.back)}<button type="submit" class="small">Revoke</button></form>` : ''}</td>
</tr>`);
  const form = a.canWrite
    ? html`<form method="post" action="${reviewPaths.previews(a.doc)}" class="inline-form">${hidden(a.ctx, a.back)}
  <div class="field"><label for="pv-ref">Link to</label><select id="pv-ref" name="ref"><option value="${a.versionNumber}">version ${a.versionNumber}</option><option value="draft">the current draft (follows new saves)</option></select></div>
  <div class="field"><label for="pv-expires">Expires in</label><select id="pv-expires" name="expires"><option value="3600">1 hour</option><option value="86400">1 day</option><option value="604800">7 days</option></select></div>
  <div class="field"><label for="pv-uses">Max uses</label><input id="pv-uses" type="number" name="maxUses" min="1" max="1000000"></div>
  ${a.domains.length ? html`<div class="field"><label for="pv-domain">Only on</label><select id="pv-domain" name="domain"><option value="">any host</option>${a.domains.map((d) => html`<option>${d}</option>`)}</select></div>` : ''}
  <button type="submit">Create preview link</button>
</form>`
    : '';
  return html`<section class="card previews" aria-labelledby="previews-title">
<h2 id="previews-title">Preview links</h2>
${a.previews.length ? html`<div class="table-scroll"><table class="previews-table"><caption class="sr-only">Preview links of this document</caption>
<thead><tr><th scope="col">Shows</th><th scope="col">Host</th><th scope="col">Uses</th><th scope="col">Expires</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>${rows}</tbody></table></div>` : html`<p class="muted">No preview links yet.</p>`}
${form}
</section>`;
}

/** The page that shows a new link once: its token is never shown again. */
export function previewCreated(url: string, expiresAt: string, back: string): SafeHtml {
  return html`<h1>Preview link created</h1>
<div class="card"><p>Anyone with this link can read the version until ${timeTag(expiresAt)}. It is shown only now: copy it.</p>
<p><label for="preview-url">Link</label><br><input id="preview-url" type="text" readonly size="80" value="${url}" data-preview-url></p></div>
<p><a href="${back}">Back</a></p>`;
}

function moveText(m: LabelMove): string {
  if (m.to === undefined) return `removed (was version ${m.from})`;
  return m.from === undefined ? `set to version ${m.to}` : `moved from version ${m.from} to ${m.to}`;
}

export function labelsCard(a: { ctx: UiContext; doc: DocAddress; labels: Label[]; tags: Tag[]; histories?: Record<string, LabelMove[]>; latest?: number; canWrite: boolean; back: string }): SafeHtml {
  const labelRows = a.labels.map((l) => {
    const moves = a.histories?.[l.name] ?? [];
    return html`<li data-label="${l.name}"><span class="badge badge-label">${l.name}</span> → <a href="${paths.version(a.doc, l.versionNumber)}">version ${l.versionNumber}</a>
  <span class="muted">moved by ${l.movedBy.name} · ${timeTag(l.movedAt)}</span>
  ${moves.length ? html`<details class="label-history"><summary>History of ${l.name}</summary><ol>${moves.map((m) => html`<li>${timeTag(m.at)} · <strong>${m.by.name}</strong> ${moveText(m)}${m.message ? html` — ${m.message}` : ''}</li>`)}</ol></details>` : ''}</li>`;
  });
  const tagRows = a.tags.map((t) => html`<li data-tag="${t.name}"><span class="badge badge-tag">${t.name}</span> → <a href="${paths.version(a.doc, t.versionNumber)}">version ${t.versionNumber}</a>
  <span class="muted">${t.message}${t.tagger ? ` · ${t.tagger.name}` : ''}</span></li>`);
  const form = a.canWrite
    ? html`<form method="post" action="${reviewPaths.labels(a.doc)}" class="inline-form move-label" aria-label="Move label">${hidden(a.ctx, a.back)}
  <div class="field"><label for="label-name">Label</label><input id="label-name" type="text" name="name" required pattern="[a-z0-9]+(-[a-z0-9]+)*" maxlength="63" list="label-names" placeholder="production"></div>
  <datalist id="label-names">${a.labels.map((l) => html`<option value="${l.name}">`)}</datalist>
  <div class="field"><label for="label-ref">to version</label><input id="label-ref" name="ref" type="number" min="1" required value="${a.latest ?? ''}"></div>
  <div class="field"><label for="label-message">Why</label><input id="label-message" type="text" name="message" maxlength="500" size="30"></div>
  <button type="submit">Move label</button>
</form>`
    : '';
  return html`<section class="card labels" aria-labelledby="labels-title">
<h2 id="labels-title">Labels and tags</h2>
${a.labels.length ? html`<ul class="label-list">${labelRows}</ul>` : html`<p class="muted">No labels yet.</p>`}
${a.tags.length ? html`<ul class="tag-list">${tagRows}</ul>` : ''}
${form}
</section>`;
}

/** Label and tag badges of one version, for its history row. */
export function refBadges(n: number, labels: Label[], tags: Tag[]): SafeHtml {
  return html`${labels.filter((l) => l.versionNumber === n).map((l) => html`<span class="badge badge-label">${l.name}</span>`)}${tags.filter((t) => t.versionNumber === n).map((t) => html`<span class="badge badge-tag">${t.name}</span>`)}`;
}
