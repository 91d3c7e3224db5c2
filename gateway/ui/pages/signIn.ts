/** The sign-in form: an API key, and the name changes made here are signed with. */
import { html } from '../html.js';
import { layout, type Notice } from '../layout.js';
import { paths } from '../paths.js';

export interface SignInView {
  loginToken: string;
  next?: string;
  name?: string;
  notice?: Notice;
}

export function renderSignIn(view: SignInView): string {
  const body = html`<div class="sign-in">
<h1>Sign in</h1>
<p>Use an API key from your administrator (<code>verso keys create</code>). Viewer keys can browse and compare; editor, admin and integration keys can also publish and roll back.</p>
<form method="post" action="${paths.signIn()}">
  <input type="hidden" name="csrf" value="${view.loginToken}">
  <input type="hidden" name="next" value="${view.next ?? ''}">
  <div class="field">
    <label for="api-key">API key</label>
    <input id="api-key" name="key" type="password" autocomplete="off" spellcheck="false" required>
  </div>
  <div class="field">
    <label for="display-name">Your name <span class="muted">(optional)</span></label>
    <input id="display-name" name="name" type="text" autocomplete="name" maxlength="100" value="${view.name ?? ''}" aria-describedby="display-name-hint">
    <p class="hint" id="display-name-hint">Shown as the author of rollbacks you make here.</p>
  </div>
  <button type="submit" class="primary">Sign in</button>
</form>
</div>`;
  return layout({ title: 'Sign in', body, notice: view.notice });
}
