/** The public side of preview links: the token is the credential, no API key. */
import { defineRoute } from '../route.js';
import { querySchemas } from '../schemas.js';
import { ref } from './docHandle.js';

export const previewRoutes = [
  defineRoute<Record<string, never>, { site?: string }>({
    method: 'get',
    path: '/v1/preview/:token',
    operationId: 'resolvePreview',
    tag: 'Review',
    summary: 'Open a preview link',
    description:
      'No API key: the token is the credential. 410 preview_expired past its expiry or use limit. ' +
      'With `site`, a token of another site is not found (what `site(id).resolvePreview(token)` does in the SDK).',
    access: 'public',
    query: querySchemas.preview,
    status: 200,
    response: ref('PreviewView'),
    handle: ({ store, params, query }) =>
      query.site === undefined ? store.resolvePreview(params.token!) : store.site(query.site).resolvePreview(params.token!),
  }),
];
