/** A readable error page with a way back. */
import { html } from '../html.js';
import { layout } from '../layout.js';
import { paths } from '../paths.js';
import type { UiContext } from '../context.js';
import type { PageError } from '../errors.js';

export function renderError(view: { error: PageError; ctx?: UiContext; back?: { href: string; label: string } }): string {
  const back = view.back ?? (view.ctx ? { href: paths.sites(), label: 'Back to sites' } : { href: paths.signIn(), label: 'Sign in' });
  const body = html`<h1>${view.error.title}</h1>
<div class="notice notice-error" role="alert">${view.error.message}</div>
<p><a href="${back.href}">${back.label}</a></p>`;
  return layout({ title: view.error.title, ctx: view.ctx, body });
}
