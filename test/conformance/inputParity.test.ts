/**
 * SDK parity for bad input (issue 13 item 7): for a table of bad calls covering every SDK
 * call (review, webhooks, search and integrations included), the embedded store and the remote store (over the gateway, on the same data) throw the
 * same error — class, code, message and details. Rows with a JSON body are also sent as raw
 * HTTP, so the gateway's own validation is held to the same answer. Run per database target:
 * embedded on PGlite, embedded on PostgreSQL, and remote over each.
 *
 * Contract: "Unknown fields in any SDK input are refused with invalid_input, embedded and
 * remote alike."
 */
import { CLI_KEY_NAME } from '../../lib/ops/localServer.js';
import { expect } from 'chai';
import type { Store } from '../../lib/types.js';
import { databaseTargets } from '../helpers/databases.js';
import { openStack, type Stack } from '../helpers/stack.js';

type Code = 'invalid_input' | 'not_found' | 'conflict';

interface Row {
  name: string;
  code: Code;
  call(store: Store): Promise<unknown>;
  /** The same call as raw HTTP, for calls whose input JSON carries faithfully. */
  http?: { method: 'POST' | 'GET' | 'PATCH' | 'PUT' | 'DELETE'; path: string; body?: unknown };
}

const DOC = '/v1/sites/acme/docs/post/hello/en';
const long = (n: number): string => 'x'.repeat(n);
const acme = (s: Store) => s.site('acme');
const hello = (s: Store) => acme(s).doc('post', 'hello', 'en');
const note = (s: Store) => acme(s).doc('note', 'plain', 'en');
const missing = (s: Store) => acme(s).doc('post', 'missing', 'en');
const ABSENT_ULID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

// The casts say on purpose what the types forbid: callers in JavaScript can send anything.
const any = <T>(v: unknown): T => v as T;

const rows: Row[] = [
  // createSite
  { name: 'createSite: unknown field', code: 'invalid_input', call: (s) => s.createSite(any({ id: 'x1', name: 'X', colour: 'red' })), http: { method: 'POST', path: '/v1/sites', body: { id: 'x1', name: 'X', colour: 'red' } } },
  { name: 'createSite: no name', code: 'invalid_input', call: (s) => s.createSite(any({ id: 'x2' })), http: { method: 'POST', path: '/v1/sites', body: { id: 'x2' } } },
  { name: 'createSite: id not a slug', code: 'invalid_input', call: (s) => s.createSite({ id: 'Not A Slug', name: 'X' }), http: { method: 'POST', path: '/v1/sites', body: { id: 'Not A Slug', name: 'X' } } },
  { name: 'createSite: locales not a list', code: 'invalid_input', call: (s) => s.createSite(any({ id: 'x3', name: 'X', locales: 'en' })), http: { method: 'POST', path: '/v1/sites', body: { id: 'x3', name: 'X', locales: 'en' } } },
  { name: 'createSite: blank name', code: 'invalid_input', call: (s) => s.createSite({ id: 'x4', name: '   ' }) },
  { name: 'createSite: bad domain', code: 'invalid_input', call: (s) => s.createSite({ id: 'x5', name: 'X', domains: ['not a host'] }) },
  { name: 'createSite: taken id', code: 'conflict', call: (s) => s.createSite({ id: 'acme', name: 'Again' }) },
  { name: 'createSite: not an object', code: 'invalid_input', call: (s) => s.createSite(any(null)) },
  // getSite / listSites-adjacent
  { name: 'getSite: unknown', code: 'not_found', call: (s) => s.getSite('nope') },
  { name: 'getSite: not a slug', code: 'invalid_input', call: (s) => s.getSite('Bad!') },
  // keys
  { name: 'createKey: unknown field', code: 'invalid_input', call: (s) => s.createKey(any({ role: 'viewer', scope: 'all' })), http: { method: 'POST', path: '/v1/keys', body: { role: 'viewer', scope: 'all' } } },
  { name: 'createKey: bad role', code: 'invalid_input', call: (s) => s.createKey(any({ role: 'root' })), http: { method: 'POST', path: '/v1/keys', body: { role: 'root' } } },
  { name: 'createKey: no role', code: 'invalid_input', call: (s) => s.createKey(any({ name: 'k' })) },
  { name: 'createKey: unknown site', code: 'not_found', call: (s) => s.createKey({ role: 'viewer', site: 'nope' }) },
  { name: 'revokeKey: not an id', code: 'invalid_input', call: (s) => s.revokeKey('bad-id') },
  { name: 'revokeKey: unknown id', code: 'not_found', call: (s) => s.revokeKey(ABSENT_ULID) },
  // save
  { name: 'save: unknown field', code: 'invalid_input', call: (s) => hello(s).save(any({ content: { a: 1 }, colour: 'red' })), http: { method: 'POST', path: `${DOC}/versions`, body: { content: { a: 1 }, colour: 'red' } } },
  { name: 'save: unknown author field', code: 'invalid_input', call: (s) => hello(s).save(any({ content: { a: 1 }, author: { name: 'Ann', role: 'x' } })), http: { method: 'POST', path: `${DOC}/versions`, body: { content: { a: 1 }, author: { name: 'Ann', role: 'x' } } } },
  { name: 'save: unknown field set to undefined', code: 'invalid_input', call: (s) => hello(s).save(any({ content: { a: 1 }, colour: undefined })) },
  { name: 'save: bad email', code: 'invalid_input', call: (s) => hello(s).save({ content: { a: 1 }, author: { name: 'Ann', email: 'not-an-email' } }) },
  { name: 'save: no content', code: 'invalid_input', call: (s) => hello(s).save(any({ message: 'm' })), http: { method: 'POST', path: `${DOC}/versions`, body: { message: 'm' } } },
  { name: 'save: bad kind', code: 'invalid_input', call: (s) => hello(s).save(any({ content: { a: 1 }, kind: 'publish' })), http: { method: 'POST', path: `${DOC}/versions`, body: { content: { a: 1 }, kind: 'publish' } } },
  { name: 'save: format change', code: 'invalid_input', call: (s) => hello(s).save({ content: 'text now', format: 'text' }) },
  { name: 'save: stale baseVersion', code: 'conflict', call: (s) => hello(s).save({ content: { a: 9 }, baseVersion: 1 }) },
  { name: 'save: message too long', code: 'invalid_input', call: (s) => hello(s).save({ content: { a: 1 }, message: long(10_001) }) },
  { name: 'save: branch not a slug', code: 'invalid_input', call: (s) => hello(s).save({ content: { a: 1 }, branch: 'Bad Branch' }) },
  { name: 'save: locale not of the site', code: 'invalid_input', call: (s) => acme(s).doc('post', 'hello', 'de').save({ content: { a: 1 } }) },
  { name: 'save: type not a slug', code: 'invalid_input', call: (s) => acme(s).doc('Post', 'hello', 'en').save({ content: { a: 1 } }) },
  { name: 'save: unknown site', code: 'not_found', call: (s) => s.site('nope').doc('post', 'hello', 'en').save({ content: { a: 1 } }) },
  { name: 'save: not an object', code: 'invalid_input', call: (s) => hello(s).save(any(null)) },
  { name: 'save: NUL in metadata', code: 'invalid_input', call: (s) => hello(s).save({ content: { a: 1 }, metadata: { a: 'x\u0000' } }), http: { method: 'POST', path: `${DOC}/versions`, body: { content: { a: 1 }, metadata: { a: 'x\u0000' } } } },
  { name: 'save: unsafe integer', code: 'invalid_input', call: (s) => hello(s).save({ content: { n: 2 ** 60 } }), http: { method: 'POST', path: `${DOC}/versions`, body: { content: { n: 2 ** 60 } } } },
  // log
  { name: 'log: unknown field', code: 'invalid_input', call: (s) => hello(s).log(any({ colour: 'red' })) },
  { name: 'log: limit 0', code: 'invalid_input', call: (s) => hello(s).log({ limit: 0 }) },
  { name: 'log: limit as a string', code: 'invalid_input', call: (s) => hello(s).log(any({ limit: '20' })) },
  { name: 'log: bad kind', code: 'invalid_input', call: (s) => hello(s).log({ kind: 'bogus' }) },
  { name: 'log: tampered cursor', code: 'invalid_input', call: (s) => hello(s).log({ cursor: 'garbage' }) },
  { name: 'log: missing document', code: 'not_found', call: (s) => missing(s).log() },
  // show / comments (refs)
  { name: 'show: ref with a space', code: 'invalid_input', call: (s) => hello(s).show('a b') },
  { name: 'show: ref 0', code: 'invalid_input', call: (s) => hello(s).show(0) },
  { name: "show: ref '0'", code: 'invalid_input', call: (s) => hello(s).show('0') },
  { name: 'show: absent number', code: 'not_found', call: (s) => hello(s).show(999) },
  { name: 'show: absent number as digits', code: 'not_found', call: (s) => hello(s).show('999') },
  { name: 'comments: ref with a space', code: 'invalid_input', call: (s) => hello(s).comments('x y') },
  { name: 'comments: missing document', code: 'not_found', call: (s) => missing(s).comments(1) },
  // diff
  { name: 'diff: bad format', code: 'invalid_input', call: (s) => hello(s).diff(1, 2, any({ format: 'xml' })) },
  { name: 'diff: unknown option', code: 'invalid_input', call: (s) => hello(s).diff(1, 2, any({ context: 3 })) },
  { name: 'diff: signal not an AbortSignal', code: 'invalid_input', call: (s) => hello(s).diff(1, 2, any({ signal: 'stop' })) },
  { name: 'diff: absent version', code: 'not_found', call: (s) => hello(s).diff(1, 999) },
  { name: 'diff: json on a text document', code: 'invalid_input', call: (s) => note(s).diff(1, 1, { format: 'json' }) },
  // publish / unpublish / archive
  { name: 'publish: absent branch', code: 'not_found', call: (s) => hello(s).publish('nope-branch') },
  { name: 'publish: negative number', code: 'invalid_input', call: (s) => hello(s).publish(-1) },
  { name: 'unpublish: missing document', code: 'not_found', call: (s) => missing(s).unpublish() },
  { name: 'archive: missing document', code: 'not_found', call: (s) => missing(s).archive() },
  // rollback
  { name: 'rollback: unknown option', code: 'invalid_input', call: (s) => hello(s).rollback(1, any({ force: true })), http: { method: 'POST', path: `${DOC}/rollback`, body: { to: 1, force: true } } },
  { name: 'rollback: unknown author field', code: 'invalid_input', call: (s) => hello(s).rollback(1, any({ author: { name: 'A', extra: 1 } })) },
  { name: 'rollback: absent version', code: 'not_found', call: (s) => hello(s).rollback(999) },
  { name: 'rollback: options not an object', code: 'invalid_input', call: (s) => hello(s).rollback(1, any('fast')) },
  // comment
  { name: 'comment: unknown field', code: 'invalid_input', call: (s) => hello(s).comment(1, any({ body: 'hi', author: 'Ann', mood: 'happy' })), http: { method: 'POST', path: `${DOC}/versions/1/comments`, body: { body: 'hi', author: 'Ann', mood: 'happy' } } },
  { name: 'comment: empty body', code: 'invalid_input', call: (s) => hello(s).comment(1, { body: '', author: 'Ann' }) },
  { name: 'comment: body too long', code: 'invalid_input', call: (s) => hello(s).comment(1, { body: long(20_001), author: 'Ann' }) },
  { name: 'comment: anchor backwards', code: 'invalid_input', call: (s) => hello(s).comment(1, { body: 'hi', author: 'Ann', anchor: { startLine: 3, endLine: 1 } }) },
  { name: 'comment: unknown parent', code: 'invalid_input', call: (s) => hello(s).comment(1, { body: 'hi', author: 'Ann', parentId: ABSENT_ULID }) },
  // preview
  { name: 'preview: expiresIn 0', code: 'invalid_input', call: (s) => hello(s).preview(1, { expiresIn: 0 }) },
  { name: 'preview: unknown option', code: 'invalid_input', call: (s) => hello(s).preview(1, any({ forever: true })), http: { method: 'POST', path: `${DOC}/versions/1/previews`, body: { forever: true } } },
  { name: 'preview: domain not of the site', code: 'invalid_input', call: (s) => hello(s).preview(1, { domain: 'evil.test' }) },
  { name: 'preview: past 30 days', code: 'invalid_input', call: (s) => hello(s).preview(1, { expiresIn: 31 * 24 * 3600 }) },
  // tag
  { name: 'tag: not a semantic version', code: 'invalid_input', call: (s) => hello(s).tag(1, 'v1') },
  { name: 'tag: message over 10,000', code: 'invalid_input', call: (s) => hello(s).tag(1, '2.0.0', { message: long(10_001) }) },
  { name: 'tag: unknown option', code: 'invalid_input', call: (s) => hello(s).tag(1, '2.0.0', any({ sign: true })), http: { method: 'POST', path: `${DOC}/versions/1/tags`, body: { name: '2.0.0', sign: true } } },
  { name: 'tag: taken name', code: 'conflict', call: (s) => hello(s).tag(1, '1.0.0') },
  // docs / events / branches
  { name: 'docs: unknown filter', code: 'invalid_input', call: (s) => acme(s).docs(any({ sort: 'name' })) },
  { name: 'docs: bad state', code: 'invalid_input', call: (s) => acme(s).docs(any({ state: 'gone' })) },
  { name: 'docs: limit 501', code: 'invalid_input', call: (s) => acme(s).docs({ limit: 501 }) },
  { name: 'events: after not an id', code: 'invalid_input', call: (s) => acme(s).events({ after: 'x' }) },
  { name: 'events: unknown option', code: 'invalid_input', call: (s) => acme(s).events(any({ before: ABSENT_ULID })) },
  { name: 'events: limit 1001', code: 'invalid_input', call: (s) => acme(s).events({ limit: 1001 }) },
  { name: 'branches: unknown site', code: 'not_found', call: (s) => s.site('nope').branches() },
  { name: 'createBranch: unknown option', code: 'invalid_input', call: (s) => acme(s).createBranch('b1', any({ form: 'main' })), http: { method: 'POST', path: '/v1/sites/acme/branches', body: { name: 'b1', form: 'main' } } },
  { name: 'createBranch: reserved name', code: 'invalid_input', call: (s) => acme(s).createBranch('draft') },
  { name: 'createBranch: absent source', code: 'not_found', call: (s) => acme(s).createBranch('b2', { from: 'nope' }) },
  { name: 'createBranch: taken name', code: 'conflict', call: (s) => acme(s).createBranch('feature') },
  { name: 'deleteBranch: main', code: 'invalid_input', call: (s) => acme(s).deleteBranch('main') },
  { name: 'deleteBranch: absent', code: 'not_found', call: (s) => acme(s).deleteBranch('nope') },
  { name: 'deleteBranch: not a slug', code: 'invalid_input', call: (s) => acme(s).deleteBranch('x/../main') },
  { name: 'merge: unknown option', code: 'invalid_input', call: (s) => acme(s).merge('feature', any({ strategy: 'ours' })), http: { method: 'POST', path: '/v1/sites/acme/branches/feature/merge', body: { strategy: 'ours' } } },
  { name: 'merge: unknown author field', code: 'invalid_input', call: (s) => acme(s).merge('feature', any({ author: { name: 'A', x: 1 } })) },
  { name: 'merge: into itself', code: 'invalid_input', call: (s) => acme(s).merge('feature', { into: 'feature' }) },
  { name: 'merge: absent source', code: 'not_found', call: (s) => acme(s).merge('nope') },
  { name: 'merge: bad policy', code: 'invalid_input', call: (s) => acme(s).merge('feature', any({ policy: 'random' })), http: { method: 'POST', path: '/v1/sites/acme/merge', body: { source: 'feature', policy: 'random' } } },
  { name: 'merge: dryRun not a boolean', code: 'invalid_input', call: (s) => acme(s).merge('feature', any({ dryRun: 'yes' })) },
  // update (site settings)
  { name: 'update: unknown field', code: 'invalid_input', call: (s) => acme(s).update(any({ colour: 'red' })), http: { method: 'PATCH', path: '/v1/sites/acme', body: { colour: 'red' } } },
  { name: 'update: NUL in the name', code: 'invalid_input', call: (s) => acme(s).update({ name: 'A\u0000cme' }) },
  { name: 'update: bad policy', code: 'invalid_input', call: (s) => acme(s).update(any({ conflictPolicy: 'random' })) },
  // previews by token
  { name: "resolvePreview: 'a b!'", code: 'invalid_input', call: (s) => acme(s).resolvePreview('a b!') },
  { name: 'resolvePreview: unknown token', code: 'not_found', call: (s) => acme(s).resolvePreview('A'.repeat(43)) },
  // review (0.2): comments, labels, previews
  { name: 'comments: unknown option', code: 'invalid_input', call: (s) => hello(s).comments(1, any({ every: true })) },
  { name: 'comments: all not a boolean', code: 'invalid_input', call: (s) => hello(s).comments(1, any({ all: 'yes' })) },
  { name: 'resolveComment: id not a ULID', code: 'invalid_input', call: (s) => hello(s).resolveComment('c-1') },
  { name: 'resolveComment: unknown option', code: 'invalid_input', call: (s) => hello(s).resolveComment(ABSENT_ULID, any({ reason: 'done' })), http: { method: 'POST', path: `${DOC}/comments/${ABSENT_ULID}/resolve`, body: { reason: 'done' } } },
  { name: 'resolveComment: resolved not a boolean', code: 'invalid_input', call: (s) => hello(s).resolveComment(ABSENT_ULID, any({ resolved: 'yes' })), http: { method: 'POST', path: `${DOC}/comments/${ABSENT_ULID}/resolve`, body: { resolved: 'yes' } } },
  { name: 'resolveComment: options not an object', code: 'invalid_input', call: (s) => hello(s).resolveComment(ABSENT_ULID, any('now')) },
  { name: 'resolveComment: unknown comment', code: 'not_found', call: (s) => hello(s).resolveComment(ABSENT_ULID) },
  { name: 'deleteComment: id not a ULID', code: 'invalid_input', call: (s) => hello(s).deleteComment('../x') },
  { name: 'deleteComment: unknown comment', code: 'not_found', call: (s) => hello(s).deleteComment(ABSENT_ULID) },
  { name: 'label: name not a slug', code: 'invalid_input', call: (s) => hello(s).label('Prod Ready', 1) },
  { name: 'label: ref with a space', code: 'invalid_input', call: (s) => hello(s).label('production', 'a b') },
  { name: 'label: unknown option', code: 'invalid_input', call: (s) => hello(s).label('production', 1, any({ colour: 'red' })), http: { method: 'PUT', path: `${DOC}/labels/production`, body: { ref: 1, colour: 'red' } } },
  { name: 'label: message over 10,000', code: 'invalid_input', call: (s) => hello(s).label('production', 1, { message: long(10_001) }), http: { method: 'PUT', path: `${DOC}/labels/production`, body: { ref: 1, message: long(10_001) } } },
  { name: 'label: unknown author field', code: 'invalid_input', call: (s) => hello(s).label('production', 1, any({ author: { name: 'A', role: 'x' } })) },
  { name: 'label: absent version', code: 'not_found', call: (s) => hello(s).label('production', 999) },
  { name: 'labelHistory: name not a slug', code: 'invalid_input', call: (s) => hello(s).labelHistory('Prod!') },
  { name: 'removeLabel: name not a slug', code: 'invalid_input', call: (s) => hello(s).removeLabel('Prod!') },
  { name: 'removeLabel: unknown option', code: 'invalid_input', call: (s) => hello(s).removeLabel('production', any({ force: true })), http: { method: 'DELETE', path: `${DOC}/labels/production`, body: { force: true } } },
  { name: 'removeLabel: unknown label', code: 'not_found', call: (s) => hello(s).removeLabel('nope') },
  { name: 'revokePreview: id not a ULID', code: 'invalid_input', call: (s) => hello(s).revokePreview('p1') },
  { name: 'revokePreview: unknown link', code: 'not_found', call: (s) => hello(s).revokePreview(ABSENT_ULID) },
  // webhooks and search (0.2)
  { name: 'createWebhook: unknown field', code: 'invalid_input', call: (s) => acme(s).createWebhook(any({ url: 'https://hooks.example.com/v', colour: 'red' })), http: { method: 'POST', path: '/v1/sites/acme/webhooks', body: { url: 'https://hooks.example.com/v', colour: 'red' } } },
  { name: 'createWebhook: no url', code: 'invalid_input', call: (s) => acme(s).createWebhook(any({ events: ['version.create'] })), http: { method: 'POST', path: '/v1/sites/acme/webhooks', body: { events: ['version.create'] } } },
  { name: 'createWebhook: events empty', code: 'invalid_input', call: (s) => acme(s).createWebhook({ url: 'https://hooks.example.com/v', events: [] }) },
  { name: 'createWebhook: unknown action', code: 'invalid_input', call: (s) => acme(s).createWebhook({ url: 'https://hooks.example.com/v', events: ['version.eaten'] }) },
  { name: 'createWebhook: not an object', code: 'invalid_input', call: (s) => acme(s).createWebhook(any(null)) },
  { name: 'updateWebhook: id not a ULID', code: 'invalid_input', call: (s) => acme(s).updateWebhook('w1', { disabled: false }) },
  { name: 'updateWebhook: unknown field', code: 'invalid_input', call: (s) => acme(s).updateWebhook(ABSENT_ULID, any({ colour: 'red' })), http: { method: 'PATCH', path: `/v1/sites/acme/webhooks/${ABSENT_ULID}`, body: { colour: 'red' } } },
  { name: 'updateWebhook: disabled not a boolean', code: 'invalid_input', call: (s) => acme(s).updateWebhook(ABSENT_ULID, any({ disabled: 'no' })) },
  { name: 'updateWebhook: unknown webhook', code: 'not_found', call: (s) => acme(s).updateWebhook(ABSENT_ULID, { disabled: false }) },
  { name: 'deleteWebhook: id not a ULID', code: 'invalid_input', call: (s) => acme(s).deleteWebhook('w1') },
  { name: 'deleteWebhook: unknown webhook', code: 'not_found', call: (s) => acme(s).deleteWebhook(ABSENT_ULID) },
  { name: 'deliveries: webhook id not a ULID', code: 'invalid_input', call: (s) => acme(s).deliveries('w1') },
  { name: 'deliveries: limit 0', code: 'invalid_input', call: (s) => acme(s).deliveries(ABSENT_ULID, { limit: 0 }) },
  { name: 'deliveries: unknown option', code: 'invalid_input', call: (s) => acme(s).deliveries(ABSENT_ULID, any({ status: 'failed' })) },
  { name: 'deliveries: unknown webhook', code: 'not_found', call: (s) => acme(s).deliveries(ABSENT_ULID) },
  { name: 'redeliver: id not a ULID', code: 'invalid_input', call: (s) => acme(s).redeliver('d1') },
  { name: 'redeliver: unknown delivery', code: 'not_found', call: (s) => acme(s).redeliver(ABSENT_ULID) },
  { name: 'search: empty query', code: 'invalid_input', call: (s) => acme(s).search('') },
  { name: 'search: unknown option', code: 'invalid_input', call: (s) => acme(s).search('bread', any({ sort: 'rank' })) },
  { name: 'search: history not a boolean', code: 'invalid_input', call: (s) => acme(s).search('bread', any({ history: 'yes' })) },
  { name: 'search: limit 101', code: 'invalid_input', call: (s) => acme(s).search('bread', { limit: 101 }) },
  // integrations (0.2)
  { name: 'createIntegration: unknown field', code: 'invalid_input', call: (s) => acme(s).createIntegration(any({ name: 'wiki', kind: 'git', url: 'https://git.example.com/r.git', colour: 'red' })), http: { method: 'POST', path: '/v1/sites/acme/integrations', body: { name: 'wiki', kind: 'git', url: 'https://git.example.com/r.git', colour: 'red' } } },
  { name: 'createIntegration: bad kind', code: 'invalid_input', call: (s) => acme(s).createIntegration(any({ name: 'wiki', kind: 'svn' })), http: { method: 'POST', path: '/v1/sites/acme/integrations', body: { name: 'wiki', kind: 'svn' } } },
  { name: 'createIntegration: name not a slug', code: 'invalid_input', call: (s) => acme(s).createIntegration({ name: 'My Wiki', kind: 'git', url: 'https://git.example.com/r.git' }) },
  { name: 'createIntegration: not an object', code: 'invalid_input', call: (s) => acme(s).createIntegration(any('wiki')) },
  { name: 'updateIntegration: nothing to change', code: 'invalid_input', call: (s) => acme(s).updateIntegration('wiki', {}), http: { method: 'PATCH', path: '/v1/sites/acme/integrations/wiki', body: {} } },
  { name: 'updateIntegration: unknown field', code: 'invalid_input', call: (s) => acme(s).updateIntegration('wiki', any({ url: 'https://elsewhere.example.com/r.git' })), http: { method: 'PATCH', path: '/v1/sites/acme/integrations/wiki', body: { url: 'https://elsewhere.example.com/r.git' } } },
  { name: 'updateIntegration: unknown integration', code: 'not_found', call: (s) => acme(s).updateIntegration('nope', { token: 't0ken' }) },
  { name: 'deleteIntegration: name not a slug', code: 'invalid_input', call: (s) => acme(s).deleteIntegration('Bad Name') },
  { name: 'deleteIntegration: unknown integration', code: 'not_found', call: (s) => acme(s).deleteIntegration('nope') },
  { name: 'checkIntegration: onProgress not a function', code: 'invalid_input', call: (s) => acme(s).checkIntegration('nope', any({ onProgress: 'log' })) },
  { name: 'checkIntegration: unknown option', code: 'invalid_input', call: (s) => acme(s).checkIntegration('nope', any({ deep: true })) },
  { name: 'checkIntegration: unknown integration', code: 'not_found', call: (s) => acme(s).checkIntegration('nope') },
  { name: 'push: unknown option', code: 'invalid_input', call: (s) => hello(s).push('nope', any({ colour: 'red' })), http: { method: 'POST', path: `${DOC}/push`, body: { integration: 'nope', colour: 'red' } } },
  { name: 'push: integration not a slug', code: 'invalid_input', call: (s) => hello(s).push('Bad Name'), http: { method: 'POST', path: `${DOC}/push`, body: { integration: 'Bad Name' } } },
  { name: 'push: force not a boolean', code: 'invalid_input', call: (s) => hello(s).push('nope', any({ force: 'yes' })) },
  { name: 'push: unknown integration', code: 'not_found', call: (s) => hello(s).push('nope') },
  { name: 'pull: unknown option', code: 'invalid_input', call: (s) => hello(s).pull('nope', any({ ref: 1 })), http: { method: 'POST', path: `${DOC}/pull`, body: { integration: 'nope', ref: 1 } } },
  { name: 'pull: empty message', code: 'invalid_input', call: (s) => hello(s).pull('nope', { message: '' }) },
  { name: 'pull: unknown integration', code: 'not_found', call: (s) => hello(s).pull('nope') },
];

interface Outcome {
  class: string;
  code: string;
  message: string;
  details: unknown;
}

async function outcome(p: Promise<unknown>): Promise<Outcome | 'succeeded'> {
  try {
    await p;
    return 'succeeded';
  } catch (err) {
    const e = err as { constructor: { name: string }; code?: string; message: string; data?: unknown };
    return { class: e.constructor.name, code: String(e.code), message: e.message, details: e.data };
  }
}

for (const target of databaseTargets()) {
  describe(`conformance: bad input gives one answer, embedded (${target}) and remote`, function () {
    this.timeout(180_000);
    let s: Stack;

    before(async () => {
      s = await openStack(target);
      const e = s.embedded;
      await e.createSite({ id: 'acme', name: 'Acme', locales: ['en', 'fr'], domains: ['acme.test'] });
      await hello(e).save({ content: { title: 'one' } });
      await hello(e).save({ content: { title: 'two' } });
      await hello(e).tag(1, '1.0.0');
      await note(e).save({ content: 'plain text', format: 'text' });
      await acme(e).createBranch('feature');
    });
    after(async () => s && (await s.cleanup()));

    it(`has at least 40 rows covering every SDK call (${rows.length})`, () => {
      expect(rows.length).to.be.at.least(40);
      const called = new Set(rows.map((r) => r.name.split(':')[0]));
      for (const call of ['createSite', 'getSite', 'createKey', 'revokeKey', 'save', 'log', 'show', 'diff', 'publish', 'unpublish', 'rollback', 'archive', 'comment', 'comments', 'preview', 'tag', 'docs', 'branches', 'createBranch', 'deleteBranch', 'merge', 'update', 'events', 'resolvePreview',
        'resolveComment', 'deleteComment', 'label', 'labelHistory', 'removeLabel', 'revokePreview',
        'createWebhook', 'updateWebhook', 'deleteWebhook', 'deliveries', 'redeliver', 'search',
        'createIntegration', 'updateIntegration', 'deleteIntegration', 'checkIntegration', 'push', 'pull']) {
        expect(called.has(call), call).to.equal(true);
      }
    });

    for (const row of rows) {
      it(`${row.name} → ${row.code}, the same embedded and remote${row.http ? ' and over raw HTTP' : ''}`, async () => {
        const embedded = await outcome(row.call(s.embedded));
        const remote = await outcome(row.call(s.remote));
        expect(embedded, 'embedded').to.not.equal('succeeded');
        expect((embedded as Outcome).code, `embedded: ${JSON.stringify(embedded)}`).to.equal(row.code);
        expect(remote, 'remote equals embedded').to.deep.equal(embedded);
        if (row.http) {
          const res = await s.http(row.http.method, row.http.path, row.http.body === undefined ? {} : { body: row.http.body });
          const e = embedded as Outcome;
          expect(res.status, JSON.stringify(res.body)).to.equal(row.code === 'invalid_input' ? 400 : row.code === 'not_found' ? 404 : 409);
          expect(res.body.error).to.deep.equal({ code: e.code, message: e.message, details: e.details });
        }
      });
    }

    it('wrote nothing for any of the rows', async () => {
      expect((await hello(s.embedded).log()).items.map((v) => v.number)).to.deep.equal([2, 1]);
      expect((await s.embedded.listSites()).map((x) => x.id)).to.deep.equal(['acme']);
      expect((await acme(s.embedded).branches()).map((b) => b.name)).to.deep.equal(['feature', 'main']);
      expect(await hello(s.embedded).comments(1)).to.deep.equal([]);
      expect(await hello(s.embedded).labels()).to.deep.equal([]);
      expect(await acme(s.embedded).webhooks()).to.deep.equal([]);
      expect(await acme(s.embedded).integrations()).to.deep.equal([]);
      // The gateway provisions the local CLI's key (lib/ops/localServer.ts); no row made another.
      expect((await s.embedded.listKeys()).filter((k) => k.name !== CLI_KEY_NAME).length).to.equal(1);
    });
  });
}
