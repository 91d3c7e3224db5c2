/** Webhooks of a site (admin keys of the site), their deliveries, and redelivery. */
import type { CreateWebhookInput } from '../../lib/types.js';
import { defineRoute } from '../route.js';
import { listOf, pageOf, webhookSchemas } from '../schemas.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const webhookRoutes = [
  defineRoute<CreateWebhookInput>({
    method: 'post',
    path: '/v1/sites/:site/webhooks',
    operationId: 'createWebhook',
    tag: 'Webhooks',
    summary: 'Create a webhook',
    description: 'Every change event of the site whose action is in `events` is POSTed to `url`, signed per Standard Webhooks with the secret answered here (shown once).',
    access: 'site:admin',
    body: webhookSchemas.createWebhook,
    status: 201,
    response: ref('CreatedWebhook'),
    handle: ({ store, params, body }) => store.site(params.site!).createWebhook(body),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sites/:site/webhooks',
    operationId: 'listWebhooks',
    tag: 'Webhooks',
    summary: 'List webhooks',
    access: 'site:admin',
    status: 200,
    response: listOf('Webhook'),
    handle: async ({ store, params }) => ({ items: await store.site(params.site!).webhooks() }),
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/sites/:site/webhooks/:webhook',
    operationId: 'deleteWebhook',
    tag: 'Webhooks',
    summary: 'Delete a webhook (and its deliveries)',
    access: 'site:admin',
    status: 204,
    handle: ({ store, params }) => store.site(params.site!).deleteWebhook(params.webhook!),
  }),
  defineRoute<Record<string, never>, { limit?: number; cursor?: string }>({
    method: 'get',
    path: '/v1/sites/:site/webhooks/:webhook/deliveries',
    operationId: 'listDeliveries',
    tag: 'Webhooks',
    summary: 'Deliveries of a webhook, newest first, with every attempt',
    access: 'site:admin',
    query: webhookSchemas.deliveries,
    status: 200,
    response: pageOf('Delivery'),
    handle: ({ store, params, query }) => store.site(params.site!).deliveries(params.webhook!, query),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/sites/:site/deliveries/:delivery/redeliver',
    operationId: 'redeliver',
    tag: 'Webhooks',
    summary: 'Send a delivery again',
    description: 'The delivery becomes pending with a fresh retry budget; its webhook-id stays the same, so receivers can recognise it.',
    access: 'site:admin',
    status: 200,
    response: ref('Delivery'),
    handle: ({ store, params }) => store.site(params.site!).redeliver(params.delivery!),
  }),
];
