/** The page shell: skip link, header with the caller's role and sign-out, breadcrumbs, notices. */
import { html, type SafeHtml } from './html.js';
import { describePrincipal, type UiContext } from './context.js';
import { paths } from './paths.js';
import { assetHashes } from './assets/index.js';

export interface Crumb {
  label: string;
  href?: string;
}

export interface Notice {
  kind: 'success' | 'error' | 'info';
  text: string;
}

export interface LayoutArgs {
  title: string;
  body: SafeHtml;
  ctx?: UiContext;
  crumbs?: Crumb[];
  notice?: Notice;
  /** Extra class on <main>, e.g. `wide` for the side-by-side compare view. */
  mainClass?: string;
}

function breadcrumbs(crumbs: Crumb[]): SafeHtml {
  if (crumbs.length === 0) return html``;
  return html`<nav aria-label="Breadcrumb" class="crumbs"><ol>${crumbs.map((crumb, i) =>
    i === crumbs.length - 1 || !crumb.href
      ? html`<li><span aria-current="${i === crumbs.length - 1 ? 'page' : 'false'}">${crumb.label}</span></li>`
      : html`<li><a href="${crumb.href}">${crumb.label}</a></li>`,
  )}</ol></nav>`;
}

export function noticeBlock(notice: Notice | undefined): SafeHtml {
  if (!notice) return html``;
  const role = notice.kind === 'error' ? 'alert' : 'status';
  return html`<div class="notice notice-${notice.kind}" role="${role}">${notice.text}</div>`;
}

export function layout(args: LayoutArgs): string {
  const { ctx } = args;
  const account = ctx
    ? html`<div class="account"><span class="who">${ctx.session.name || 'Signed in'} <span class="muted">(${describePrincipal(ctx.principal)})</span></span>
        <form method="post" action="${paths.signOut()}"><input type="hidden" name="csrf" value="${ctx.csrf}"><button type="submit" class="link-button">Sign out</button></form></div>`
    : html``;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${args.title} · verso</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${paths.asset('app.css', assetHashes.css)}">
<script type="module" src="${paths.asset('app.js', assetHashes.js)}"></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="${paths.sites()}">verso <span class="muted">editors</span></a>${account}</header>
<main id="main" tabindex="-1" class="${args.mainClass ?? ''}">
${breadcrumbs(args.crumbs ?? [])}
${noticeBlock(args.notice)}
${args.body}
</main>
</body>
</html>`.value;
}
