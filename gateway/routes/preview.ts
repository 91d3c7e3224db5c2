/**
 * The public side of preview links: the token is the credential, no API key. Every answer says
 * `X-Robots-Tag: noindex` (a leaked link must not end up in a search engine). A browser (Accept:
 * text/html) gets a plain page of the content; anything else the JSON view.
 * The host a link is opened on is `req.hostname`: the Host header, or X-Forwarded-Host only when
 * the gateway is created with `trustProxy` (Express 'trust proxy'), so a client cannot claim a
 * domain through a header no proxy of ours set.
 */
import type { PreviewView } from '../../lib/types.js';
import { html } from '../ui/html.js';
import { defineRoute } from '../route.js';
import { querySchemas } from '../schemas.js';
import { ref } from './docHandle.js';

function previewPage(view: PreviewView): string {
  const body = typeof view.content === 'string' ? view.content : JSON.stringify(view.content, null, 2);
  const title = `${view.type}/${view.key}/${view.locale} · version ${view.version.number}`;
  return html`<!doctype html>
<html lang="${view.locale}"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Preview: ${title}</title></head>
<body><header><p>Preview of <strong>${title}</strong> on ${view.site}</p></header><main><pre>${body}</pre></main></body></html>`.toString();
}

export const previewRoutes = [
  defineRoute<Record<string, never>, { site?: string }>({
    method: 'get',
    path: '/v1/preview/:token',
    operationId: 'resolvePreview',
    tag: 'Review',
    summary: 'Open a preview link',
    description:
      'No API key: the token is the credential. 410 preview_expired past its expiry or use limit, or once the document is archived. ' +
      'A link bound to a domain opens only when the request\'s host is that domain (403 otherwise); behind a proxy, ' +
      'set the gateway\'s `trustProxy` so X-Forwarded-Host counts. ' +
      'With `site`, a token of another site is not found (what `site(id).resolvePreview(token)` does in the SDK). ' +
      'Answers carry `X-Robots-Tag: noindex`; with `Accept: text/html` the answer is an HTML page of the content.',
    access: 'public',
    query: querySchemas.preview,
    status: 200,
    response: ref('PreviewView'),
    handle: async ({ store, params, query, req, res }) => {
      res.setHeader('X-Robots-Tag', 'noindex');
      const opts = { host: req.hostname };
      const view = query.site === undefined ? await store.resolvePreview(params.token!, opts) : await store.site(query.site).resolvePreview(params.token!, opts);
      if (req.accepts(['application/json', 'text/html']) === 'text/html') {
        res.setHeader('Content-Security-Policy', "default-src 'none'");
        res.status(200).type('html').send(previewPage(view));
        return undefined;
      }
      return view;
    },
  }),
];
