/**
 * Integrations: admin keys configure them; admin, editor and integration keys push, pull and
 * check. Bodies are validated with the same per-operation schemas the embedded store applies.
 * The GitHub webhook carries no API key: its signature, checked by the store against each
 * integration's webhook secret, is the credential.
 */
import type { CreateIntegrationInput, PullOptions, PushOptions, UpdateIntegrationInput } from '../../lib/types.js';
import { integrationInputs } from '../../lib/schemas/integrationInputs.js';
import { ValidationError } from '../../lib/errors/index.js';
import { defineRoute } from '../route.js';
import { listOf } from '../schemas.js';
import { DOC_PATH, docOf, ref } from './docHandle.js';

const BASE = '/v1/sites/:site/integrations';

/** Where createApp keeps the raw body of a webhook (its signature covers the exact bytes). */
export const RAW_BODY = Symbol('verso.rawBody');
export const GITHUB_WEBHOOK_PATH = '/v1/integrations/github/webhook';

export const integrationRoutes = [
  defineRoute({
    method: 'get',
    path: BASE,
    operationId: 'listIntegrations',
    tag: 'Integrations',
    summary: 'List integrations',
    description: 'Settings only: tokens and webhook secrets are never returned (`hasToken`, `hasWebhookSecret` say whether one is set).',
    access: 'site:read',
    status: 200,
    response: listOf('Integration'),
    handle: async ({ store, params }) => ({ items: await store.site(params.site!).integrations() }),
  }),
  defineRoute<CreateIntegrationInput>({
    method: 'post',
    path: BASE,
    operationId: 'createIntegration',
    tag: 'Integrations',
    summary: 'Create an integration',
    description:
      'Kind `github` (Git Data API; `repository`, optional `baseUrl` for GitHub Enterprise Server, `pullRequests`) or `git` (any smart-HTTP remote at `url`). ' +
      'Hosts on loopback, link-local or private networks are refused unless the server runs with VERSO_ALLOW_PRIVATE_REMOTES=1.',
    access: 'site:admin',
    body: integrationInputs.createIntegration,
    status: 201,
    response: ref('Integration'),
    handle: ({ store, params, body }) => store.site(params.site!).createIntegration(body),
  }),
  defineRoute<UpdateIntegrationInput>({
    method: 'patch',
    path: `${BASE}/:name`,
    operationId: 'updateIntegration',
    tag: 'Integrations',
    summary: 'Rotate an integration\'s credentials',
    description: 'A new `token`, `webhookSecret` or `username`; secrets are re-encrypted and never returned.',
    access: 'site:admin',
    body: integrationInputs.updateIntegration,
    status: 200,
    response: ref('Integration'),
    handle: ({ store, params, body }) => store.site(params.site!).updateIntegration(params.name!, body),
  }),
  defineRoute({
    method: 'delete',
    path: `${BASE}/:name`,
    operationId: 'deleteIntegration',
    tag: 'Integrations',
    summary: 'Delete an integration and its mappings',
    access: 'site:admin',
    status: 204,
    handle: ({ store, params }) => store.site(params.site!).deleteIntegration(params.name!),
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/:name/check`,
    operationId: 'checkIntegration',
    tag: 'Integrations',
    summary: 'Drift report of every mapped document',
    description: 'Reads the remote once per branch and compares blob ids: `in_sync`, `local_ahead`, `remote_changed`, `diverged` or `missing`.',
    access: 'site:write-docs',
    status: 200,
    response: listOf('Mapping'),
    handle: async ({ store, params }) => ({ items: await store.site(params.site!).checkIntegration(params.name!) }),
  }),
  defineRoute<PushOptions & { integration: string }>({
    method: 'post',
    path: `${DOC_PATH}/push`,
    operationId: 'push',
    tag: 'Integrations',
    summary: 'Push a version to an integration',
    description: "Default version: `published`, else `draft`. 409 conflict when the remote file changed since the last push or pull (details name both blob ids) unless `force`.",
    access: 'site:write-docs',
    body: integrationInputs.push,
    status: 200,
    response: ref('Mapping'),
    handle: ({ store, params, body }) => {
      const { integration, ...opts } = body;
      return docOf(store, params).push(integration, opts);
    },
  }),
  defineRoute<PullOptions & { integration: string }>({
    method: 'post',
    path: `${DOC_PATH}/pull`,
    operationId: 'pull',
    tag: 'Integrations',
    summary: 'Pull the remote file as a new version',
    description: "A new version with source `integration` when only the remote moved; 409 conflict naming both sides when the document moved too.",
    access: 'site:write-docs',
    body: integrationInputs.pull,
    status: 200,
    response: ref('Version'),
    handle: ({ store, params, body }) => {
      const { integration, ...opts } = body;
      return docOf(store, params).pull(integration, opts);
    },
  }),
  defineRoute({
    method: 'get',
    path: `${DOC_PATH}/mappings`,
    operationId: 'mappings',
    tag: 'Integrations',
    summary: "A document's mappings with their last known status",
    access: 'site:read',
    status: 200,
    response: listOf('Mapping'),
    handle: async ({ store, params }) => ({ items: await docOf(store, params).mappings() }),
  }),
  defineRoute<Record<string, unknown>>({
    method: 'post',
    path: GITHUB_WEBHOOK_PATH,
    operationId: 'githubWebhook',
    tag: 'Integrations',
    summary: 'GitHub push events (marks drift at once)',
    description: 'Point the repository webhook here (content type application/json) with the secret given as the integration\'s `webhookSecret`. Verified with `X-Hub-Signature-256`.',
    access: 'public',
    body: { type: 'object' },
    status: 200,
    response: { type: 'object', properties: { integrations: { type: 'integer' }, marked: { type: 'integer' } }, required: ['integrations', 'marked'] },
    handle: ({ store, req }) => {
      const raw = (req as unknown as Record<symbol, Buffer | undefined>)[RAW_BODY];
      if (!raw) throw new ValidationError('the webhook body must be JSON (Content-Type: application/json)', {});
      return store.receiveGithubWebhook({ event: req.get('x-github-event') ?? '', signature: req.get('x-hub-signature-256') ?? '', payload: raw.toString('utf8') });
    },
  }),
];
