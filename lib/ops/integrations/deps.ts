/** The integration dependencies of a store's context, built on first use (no module globals). */
import { createIntegrationDeps, type IntegrationDeps } from '../../integrations/index.js';
import type { OpContext } from '../context.js';

const byContext = new WeakMap<OpContext, IntegrationDeps>();

export function depsOf(ctx: OpContext): IntegrationDeps {
  let d = byContext.get(ctx);
  if (!d) byContext.set(ctx, (d = createIntegrationDeps({ dataDir: ctx.dataDir, log: ctx.log })));
  return d;
}
