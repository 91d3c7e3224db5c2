/** API keys (admin keys with no site scope only). The secret is answered once, on creation. */
import type { Role } from '../../lib/types.js';
import { defineRoute } from '../route.js';
import { bodySchemas, listOf } from '../schemas.js';

export const keyRoutes = [
  defineRoute<{ role: Role; site?: string; name?: string }>({
    method: 'post',
    path: '/v1/keys',
    operationId: 'createKey',
    tag: 'Keys',
    summary: 'Create an API key',
    description: 'The answer holds the key itself; it is stored as a hash and never shown again.',
    access: 'admin',
    body: bodySchemas.createKey,
    status: 201,
    response: { $ref: '#/components/schemas/CreatedKey' },
    handle: ({ store, body }) => store.createKey(body),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/keys',
    operationId: 'listKeys',
    tag: 'Keys',
    summary: 'List API keys',
    description: 'Ids, roles, scopes and last use; never the keys.',
    access: 'admin',
    status: 200,
    response: listOf('ApiKey'),
    handle: async ({ store }) => ({ items: await store.listKeys() }),
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/keys/:id',
    operationId: 'revokeKey',
    tag: 'Keys',
    summary: 'Revoke an API key',
    access: 'admin',
    status: 204,
    handle: ({ store, params }) => store.revokeKey(params.id!),
  }),
];
