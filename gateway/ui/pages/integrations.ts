/**
 * A document's integrations page: where it is mapped, each mapping's status, and Push / Pull
 * buttons for keys that may write documents (admin, editor, integration). Configuring
 * integrations stays with admin keys, through the API and the CLI.
 */
import type { Integration, Mapping } from '../../../lib/types.js';
import type { DocAddress, UiContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { layout, type Notice } from '../layout.js';
import { paths } from '../paths.js';
import { docCrumbs, docName } from './docTitle.js';

export interface IntegrationsView {
  ctx: UiContext;
  doc: DocAddress;
  siteName: string;
  mappings: Mapping[];
  integrations: Integration[];
  canWrite: boolean;
  notice?: Notice;
}

const STATUS_TEXT: Record<Mapping['status'], string> = {
  in_sync: 'In sync',
  local_ahead: 'Newer here: push it',
  remote_changed: 'Changed in the repository: pull it',
  diverged: 'Changed on both sides',
  missing: 'Missing from the repository',
};

export const integrationsPath = (d: DocAddress, action?: 'push' | 'pull'): string => `${paths.doc(d)}/integrations${action ? `/${action}` : ''}`;

function actionForm(view: IntegrationsView, action: 'push' | 'pull', integration: string, label: string): SafeHtml {
  return html`<form method="post" action="${integrationsPath(view.doc, action)}" class="inline-form">
  <input type="hidden" name="csrf" value="${view.ctx.csrf}"><input type="hidden" name="integration" value="${integration}">
  <button type="submit" aria-label="${label} ${docName(view.doc)} ${action === 'push' ? 'to' : 'from'} ${integration}">${label}</button></form>`;
}

function row(view: IntegrationsView, m: Mapping): SafeHtml {
  return html`<tr data-integration="${m.integration}" data-status="${m.status}">
  <th scope="row">${m.integration}</th>
  <td><code>${m.branch}:${m.path}</code></td>
  <td class="num">${m.versionNumber}</td>
  <td><span class="badge">${STATUS_TEXT[m.status]}</span></td>
  <td>${m.pullRequest ? html`<a href="${m.pullRequest.url}" rel="noopener noreferrer">#${m.pullRequest.number}</a>` : html`<span class="muted">-</span>`}</td>
  <td>${view.canWrite ? html`${actionForm(view, 'push', m.integration, 'Push')}${actionForm(view, 'pull', m.integration, 'Pull')}` : ''}</td>
</tr>`;
}

export function renderIntegrations(view: IntegrationsView): string {
  const mapped = new Set(view.mappings.map((m) => m.integration));
  const unmapped = view.integrations.filter((i) => !mapped.has(i.name));
  const table = view.mappings.length
    ? html`<div class="table-scroll"><table><caption>Mappings of this document</caption>
<thead><tr><th scope="col">Integration</th><th scope="col">Branch and path</th><th scope="col" class="num">Version</th><th scope="col">Status</th><th scope="col">Pull request</th><th scope="col">Actions</th></tr></thead>
<tbody>${view.mappings.map((m) => row(view, m))}</tbody></table></div>`
    : html`<p>This document is not mapped to any integration yet.</p>`;
  const first = view.canWrite && unmapped.length
    ? html`<div class="card"><h2>Push to another integration</h2>${unmapped.map((i) => html`<p>${i.name} <span class="muted">(${i.repository ?? i.url ?? i.kind})</span> ${actionForm(view, 'push', i.name, 'Push')}</p>`)}</div>`
    : '';
  const body = html`<h1>Integrations of ${docName(view.doc)}</h1>
<p><a href="${paths.doc(view.doc)}">Back to the history</a></p>${table}${first}`;
  return layout({ title: `Integrations of ${docName(view.doc)}`, ctx: view.ctx, crumbs: docCrumbs(view.doc, view.siteName).slice(0, 3), notice: view.notice, body });
}
