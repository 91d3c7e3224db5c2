/**
 * connect: the remote store, the same `Store` interface over the HTTP gateway.
 */
import { parseSiteId } from '../../ids.js';
import type { ApiKeyInfo, Site, Store } from '../../types.js';
import { checkCall } from '../../schemas/calls.js';
import { createTransport, path, type FetchLike } from './http.js';
import { remoteSiteHandle } from './siteHandle.js';

export interface ConnectOptions {
  /** The gateway's address, e.g. `http://localhost:4000`. */
  baseUrl: string;
  apiKey: string;
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
}

/**
 * Connects to a verso gateway. No request is made until the first call.
 * @throws (from each call) the same error classes as the embedded store: ValidationError,
 *   NotFoundError, ConflictError, AuthError, ForbiddenError, TooLargeError, PreviewExpiredError,
 *   RateLimitedError; InternalError when the gateway cannot be reached.
 * @example
 *   const store = connect({ baseUrl: 'http://localhost:4000', apiKey: process.env.VERSO_API_KEY! });
 *   const v = await store.site('acme').doc('post', 'hello', 'en').save({ content: { title: 'Hi' } });
 */
export function connect(opts: ConnectOptions): Store {
  const http = createTransport(opts);
  return {
    createSite: async (input) => (checkCall.createSite(input), http.request<Site>('POST', '/v1/sites', { body: input })),
    getSite: async (id) => http.request<Site>('GET', path`/v1/sites/${parseSiteId(id)}`),
    listSites: async () => (await http.request<{ items: Site[] }>('GET', '/v1/sites')).items,
    site: (id) => remoteSiteHandle(http, id),
    createKey: async (input) => (checkCall.createKey(input), http.request('POST', '/v1/keys', { body: input })),
    listKeys: async () => (await http.request<{ items: ApiKeyInfo[] }>('GET', '/v1/keys')).items,
    revokeKey: async (id) => (checkCall.revokeKey(id), http.request<void>('DELETE', path`/v1/keys/${id}`)),
    // Nothing to release: fetch keeps no connection the caller owns.
    close: async () => undefined,
  };
}
