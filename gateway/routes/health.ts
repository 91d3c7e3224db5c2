/** Liveness (the process answers) and readiness (the store answers within a short time). */
import { defineRoute } from '../route.js';

const READY_TIMEOUT_MS = 2000;

export const healthRoutes = [
  defineRoute({
    method: 'get',
    path: '/healthz',
    operationId: 'healthz',
    tag: 'Operations',
    summary: 'Liveness',
    description: 'Answers 200 while the process runs.',
    access: 'public',
    status: 200,
    response: { $ref: '#/components/schemas/Health' },
    handle: async () => ({ status: 'ok' }),
  }),
  defineRoute({
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    tag: 'Operations',
    summary: 'Readiness',
    description: `Answers 200 when the store lists its sites within ${READY_TIMEOUT_MS} ms, else 503.`,
    access: 'public',
    status: 200,
    response: { $ref: '#/components/schemas/Health' },
    handle: async ({ store, res }) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_MS);
      });
      try {
        const outcome = await Promise.race([store.listSites().then(() => 'ok' as const), timeout]);
        if (outcome === 'ok') return { status: 'ok' };
      } catch (err) {
        res.req.log?.warn({ err }, 'readiness check failed');
      } finally {
        clearTimeout(timer);
      }
      res.status(503).json({ status: 'unavailable' });
      return undefined;
    },
  }),
];
