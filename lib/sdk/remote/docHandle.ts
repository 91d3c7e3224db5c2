/**
 * The remote DocHandle: each method is one request to the gateway. The address is parsed
 * with the same functions the embedded store uses, so a bad type, key or locale fails with
 * the same ValidationError before any request.
 */
import { parseLocale, parseSiteId, parseSlug } from '../../ids.js';
import type { DocHandle, Mapping, Version, VersionRef } from '../../types.js';
import { checkCall } from '../../schemas/calls.js';
import { remoteDocReview } from './docReview.js';
import { path, type Transport } from './http.js';

export function remoteDocHandle(http: Transport, site: string, type: string, key: string, locale: () => Promise<string>): DocHandle {
  const base = async (): Promise<string> => {
    const s = parseSiteId(site);
    const t = parseSlug(type, 'type');
    const k = parseSlug(key, 'key');
    const l = parseLocale(await locale());
    return path`/v1/sites/${s}/docs/${t}/${k}/${l}`;
  };
  const at = async (ref: VersionRef): Promise<string> => `${await base()}${path`/versions/${ref}`}`;
  return {
    save: async (input) => (checkCall.save(input), http.request<Version>('POST', `${await base()}/versions`, { body: input })),
    log: async (opts = {}) => (checkCall.log(opts), http.request('GET', `${await base()}/versions`, { query: { ...opts } })),
    show: async (ref) => (checkCall.show(ref), http.request('GET', await at(ref))),
    diff: async (from, to, opts = {}) => (checkCall.diff(from, to, opts), http.request('GET', `${await base()}/diff`, { query: { from, to, format: opts.format }, signal: opts.signal })),
    publish: async (ref) => (checkCall.publish(ref), http.request('POST', `${await base()}/publish`, { body: ref === undefined ? {} : { ref } })),
    unpublish: async () => http.request<void>('POST', `${await base()}/unpublish`, { body: {} }),
    rollback: async (to, opts = {}) => (checkCall.rollback(to, opts), http.request('POST', `${await base()}/rollback`, { body: { ...opts, to } })),
    archive: async () => http.request<void>('POST', `${await base()}/archive`, { body: {} }),
    comment: async (ref, input) => (checkCall.comment(ref, input), http.request('POST', `${await at(ref)}/comments`, { body: input })),
    preview: async (ref, opts = {}) => (checkCall.preview(ref, opts), http.request('POST', `${await at(ref)}/previews`, { body: opts })),
    tag: async (ref, name, opts = {}) => (checkCall.tag(ref, name, opts), http.request('POST', `${await at(ref)}/tags`, { body: { ...opts, name } })),
    push: async (integration, opts = {}) => (checkCall.push(integration, opts), http.request<Mapping>('POST', `${await base()}/push`, { body: { ...opts, integration } })),
    pull: async (integration, opts = {}) => (checkCall.pull(integration, opts), http.request<Version>('POST', `${await base()}/pull`, { body: { ...opts, integration } })),
    mappings: async () => (await http.request<{ items: Mapping[] }>('GET', `${await base()}/mappings`)).items,
    ...remoteDocReview(http, base),
  };
}
