/** The pages' stylesheet, served at /ui/assets/app.css (a string so `tsc` builds carry it). */
export const appCss = String.raw`
:root {
  --text: #1b1f24; --muted: #57606a; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de;
  --accent: #0b57d0; --accent-text: #ffffff; --focus: #0b57d0;
  --add-bg: #e6f4ea; --add-strong: #a6dcb4; --add-text: #0d3b1e;
  --del-bg: #fdecea; --del-strong: #f5b5ae; --del-text: #5c1710;
  --pub-bg: #0d652d; --draft-bg: #fff4ce; --draft-line: #8a6d00; --draft-text: #4d3b00;
  --radius: 6px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  color: var(--text); background: var(--bg); line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip-link { position: absolute; left: -9999px; top: 0; background: var(--accent); color: var(--accent-text); padding: .5rem 1rem; z-index: 10; }
.skip-link:focus { left: .5rem; top: .5rem; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.muted { color: var(--muted); }
header.top { display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap;
  padding: .6rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--panel); }
.brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; color: var(--text); }
.account { display: flex; align-items: center; gap: .75rem; font-size: .95rem; }
.account form { margin: 0; }
main { display: block; max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
main.wide { max-width: none; }
main:focus { outline: none; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; line-height: 1.25; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
.crumbs ol { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; padding: 0; margin: .25rem 0 0; font-size: .95rem; }
.crumbs li + li::before { content: "/"; color: var(--muted); margin-right: .25rem; }
.notice { padding: .75rem 1rem; border-radius: var(--radius); margin: 1rem 0; border: 1px solid; }
.notice-success { background: var(--add-bg); border-color: #5a9e6f; color: var(--add-text); }
.notice-error { background: var(--del-bg); border-color: #c5544a; color: var(--del-text); }
.notice-info { background: var(--panel); border-color: var(--line); }
label { font-weight: 600; display: block; margin-bottom: .25rem; }
.hint { font-size: .9rem; color: var(--muted); margin: .25rem 0 0; }
input[type=text], input[type=password], input[type=search], input[type=number], select, textarea {
  font: inherit; padding: .45rem .6rem; border: 1px solid #8c959f; border-radius: var(--radius); background: #fff; color: var(--text); max-width: 100%; }
input[type=number] { width: 7rem; }
input[type=text], input[type=password], input[type=search], input[type=number], select { min-height: 2.6rem; }
.field { margin-bottom: 1rem; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: flex-end; padding: 1rem; background: var(--panel);
  border: 1px solid var(--line); border-radius: var(--radius); margin-bottom: 1rem; }
.filters .field { margin: 0; }
.inline-form { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; }
.inline-form .field { margin: 0; }
button, .button { font: inherit; font-weight: 600; padding: .45rem .9rem; border-radius: var(--radius); border: 1px solid var(--accent);
  background: #fff; color: var(--accent); cursor: pointer; text-decoration: none; display: inline-block; line-height: 1.4; }
button.primary, .button.primary { background: var(--accent); color: var(--accent-text); }
button:disabled { opacity: .55; cursor: not-allowed; }
.link-button { border: none; background: none; padding: 0; color: var(--accent); text-decoration: underline; font-weight: 400; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0 .5rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--panel); font-size: .9rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.table-scroll { overflow-x: auto; }
.badge { display: inline-block; font-size: .8rem; font-weight: 700; padding: .05rem .5rem; border-radius: 999px; margin: 0 .25rem .1rem 0; white-space: nowrap; }
.badge-published { background: var(--pub-bg); color: #fff; }
.badge-draft { background: var(--draft-bg); color: var(--draft-text); border: 1px solid var(--draft-line); }
.badge-kind { background: var(--panel); color: var(--text); border: 1px solid var(--line); font-weight: 600; }
.badge-archived { background: #eaeef2; color: var(--text); border: 1px solid #8c959f; }
tr.is-published > * { background: #f1f8f3; }
.row-actions { display: flex; gap: .4rem; flex-wrap: wrap; }
.row-actions .button { font-size: .85rem; padding: .2rem .6rem; }
.pager { display: flex; gap: 1rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.25rem; margin: 1rem 0; background: #fff; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
.card dt { font-weight: 600; }
.card dd { margin: 0; }
.site-list { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }
.site-list a { display: block; padding: 1rem; border: 1px solid var(--line); border-radius: var(--radius); text-decoration: none; color: var(--text); }
.site-list a:hover, .site-list a:focus-visible { border-color: var(--accent); }
.site-list strong { display: block; color: var(--accent); font-size: 1.1rem; }
pre.content { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
.sign-in { max-width: 28rem; margin: 3rem auto; }
.sign-in input { width: 100%; }
/* compare */
.compare-head { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin-bottom: .75rem; }
.compare-head .card { margin: 0; }
.compare-head h2 { margin-top: 0; font-size: 1.05rem; }
.compare-tools { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: center; padding: .75rem 1rem; background: var(--panel);
  border: 1px solid var(--line); border-radius: var(--radius); margin: .75rem 0; }
.compare-tools .toggle { display: flex; align-items: center; gap: .5rem; font-weight: 600; margin: 0; }
.compare-tools .toggle input { width: 1.2rem; height: 1.2rem; }
.stats { font-variant-numeric: tabular-nums; margin: 0; }
.stats .add { color: var(--add-text); font-weight: 700; }
.stats .del { color: var(--del-text); font-weight: 700; }
table.diff { table-layout: fixed; font-size: .9rem; border: 1px solid var(--line); }
table.diff th, table.diff td { border-bottom: 1px solid #eaeef2; padding: .15rem .5rem; }
table.diff col.no { width: 3.5rem; }
table.diff col.path { width: 16rem; }
table.diff td.no { text-align: right; color: var(--muted); user-select: none; font-variant-numeric: tabular-nums; border-right: 1px solid var(--line); }
table.diff td.code, table.diff td.value { white-space: pre-wrap; word-break: break-word; }
table.diff td.code, table.diff .literal, table.diff td.path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
table.diff td.path { font-size: .85rem; }
/* Long field paths wrap inside their cell instead of running over the values (390 px). */
table.diff .path { overflow-wrap: anywhere; word-break: break-word; text-align: left; }
.card dd code { overflow-wrap: anywhere; }
.row-actions { display: flex; flex-wrap: wrap; gap: .25rem; }
.doc-title { font-weight: 600; }
.slug { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .85rem; color: var(--muted); }
.locales { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 0 0 1rem; }
.locales [aria-current] { font-weight: 700; text-decoration: none; }
table.diff td.left { border-right: 1px solid var(--line); }
tr.row-remove td.left, tr.row-change td.left, td.cell-del { background: var(--del-bg); color: var(--del-text); }
tr.row-add td.right, tr.row-change td.right, td.cell-add { background: var(--add-bg); color: var(--add-text); }
tr.row-add td.left, tr.row-remove td.right { background: repeating-linear-gradient(135deg, #f6f8fa, #f6f8fa 6px, #eef1f4 6px, #eef1f4 12px); }
mark.del { background: var(--del-strong); color: var(--del-text); border-radius: 2px; }
mark.add { background: var(--add-strong); color: var(--add-text); border-radius: 2px; }
.sign { display: inline-block; width: 1ch; margin-right: .4rem; font-weight: 700; }
tr.row-skip td { background: #eef3fb; color: var(--muted); text-align: center; font-style: italic; }
tr.row-skip { display: none; }
.changed-only tr.row-equal { display: none; }
.changed-only tr.row-skip { display: table-row; }
.empty-value { color: var(--muted); font-style: italic; }
.js .no-js { display: none; }
.picker-status { font-size: .95rem; color: var(--muted); }
/* merge */
table.merge-conflicts { table-layout: fixed; min-width: 44rem; }
table.merge-conflicts th[scope=row] { width: 12rem; vertical-align: top; text-align: left; }
table.merge-conflicts td { vertical-align: top; }
td.merge-value pre { margin: 0; white-space: pre-wrap; word-break: break-word; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .85rem; }
td.merge-value[data-side=ours] { background: #eef3fb; }
td.merge-value[data-side=theirs] { background: var(--add-bg); }
.merge-doc { display: block; font-weight: 600; word-break: break-all; }
.merge-path { display: block; font-size: .85rem; word-break: break-all; }
/* position: the visually hidden legend is absolute and would otherwise escape the scroll box and widen the page. */
fieldset.merge-choice { position: relative; border: 0; margin: 0; padding: 0; display: grid; gap: .25rem; }
fieldset.merge-choice label { font-weight: 400; white-space: nowrap; }
.merge-form input[type=text] { width: 100%; max-width: 40rem; }
@media (max-width: 48rem) {
  .compare-head { grid-template-columns: 1fr; }
  main { padding: 1rem; }
  table.diff col.path { width: 8rem; }
  table.diff col.no { width: 2.5rem; }
}
/* Phones (390 px): list tables become one card per row, so every action stays on screen. */
@media (max-width: 40rem) {
  .table-scroll table:not(.diff) thead { display: none; }
  .table-scroll table:not(.diff), .table-scroll table:not(.diff) tbody, .table-scroll table:not(.diff) tr,
  .table-scroll table:not(.diff) td, .table-scroll table:not(.diff) th { display: block; width: auto; text-align: left; }
  .table-scroll table:not(.diff) tr { border-bottom: 1px solid var(--line); padding: .5rem 0; }
  .table-scroll table:not(.diff) td, .table-scroll table:not(.diff) th { border: 0; padding: .15rem .25rem; }
  table.diff-fields col.path { width: 6rem; }
  /* Without the header row, a card names its times (saved, published). */
  .table-scroll table:not(.diff) td[data-label]::before { content: attr(data-label) " "; color: var(--muted); }
}
/* review: comments panel, labels and tags, preview links */
.with-panel { display: grid; grid-template-columns: minmax(0, 1fr) minmax(18rem, 26rem); gap: 1.25rem; align-items: start; margin-top: 1.25rem; }
@media (max-width: 60rem) { .with-panel { grid-template-columns: minmax(0, 1fr); } }
.panel { border: 1px solid var(--line); border-radius: var(--radius); background: var(--panel); padding: .75rem 1rem; }
.panel h2 { margin-top: 0; font-size: 1.1rem; }
.threads, .replies, .label-list, .tag-list { list-style: none; margin: 0; padding: 0; }
.comment { background: var(--bg); border: 1px solid var(--line); border-radius: var(--radius); padding: .5rem .75rem; margin-bottom: .6rem; }
.comment.is-resolved { opacity: .75; }
.comment.is-stale { border-left: 4px solid var(--draft-line); }
.replies { margin: .4rem 0 0 1rem; }
.reply-item { margin-bottom: .3rem; }
.comment-meta { margin: .2rem 0; font-size: .9rem; color: var(--muted); }
.comment-meta strong { color: var(--text); }
.comment-body { margin: .2rem 0 .4rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.comment-actions { display: flex; gap: .5rem; flex-wrap: wrap; align-items: flex-start; }
.comment-actions form.inline { display: inline; }
.reply textarea, .new-comment textarea { width: 100%; font: inherit; }
.field-row { display: flex; gap: .5rem; flex-wrap: wrap; }
.field-row .field input { width: 5.5rem; }
button.small { font-size: .85rem; padding: .15rem .6rem; }
.badge-stale { background: var(--draft-bg); color: var(--draft-text); border: 1px solid var(--draft-line); }
.badge-resolved { background: var(--add-bg); color: var(--add-text); border: 1px solid var(--add-strong); }
.badge-type { background: var(--panel); color: var(--text); border: 1px solid var(--line); }
.badge-change_request { background: var(--del-bg); color: var(--del-text); border-color: var(--del-strong); }
.badge-approval { background: var(--add-bg); color: var(--add-text); border-color: var(--add-strong); }
.badge-label { background: #ddf4ff; color: #0a3069; border: 1px solid #54aeff; }
.badge-tag { background: #fbefff; color: #512a97; border: 1px solid #c297ff; }
.label-list li, .tag-list li { margin: .25rem 0; }
tr.is-revoked td { color: var(--muted); text-decoration: line-through; }
pre.content { counter-reset: line; }
pre.content .line::before { counter-increment: line; content: counter(line); display: inline-block; width: 2.5rem; margin-right: .75rem; text-align: right; color: var(--muted); user-select: none; }
@media (prefers-reduced-motion: no-preference) { html { scroll-behavior: smooth; } }
`;
