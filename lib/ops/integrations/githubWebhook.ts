/**
 * receiveGithubWebhook: a GitHub `push` delivery marks, at once, the mappings whose files it
 * touched as remote_changed (or missing, when removed), so drift shows without waiting for a
 * check. The payload is trusted only after its `x-hub-signature-256` verifies (with
 * @octokit/webhooks) against the webhook secret of an integration pushing to its repository.
 */
import { Webhooks } from '@octokit/webhooks';
import { findGithubIntegrationsByRepository, markMappingsChanged } from '../../db/queries/integrations.js';
import { AuthError, ValidationError } from '../../errors/index.js';
import { stamp, type OpContext } from '../context.js';
import { parseSourceTrailer } from '../../trailers.js';
import { secretsOf } from './load.js';

interface PushPayload {
  ref?: string;
  repository?: { full_name?: string };
  commits?: Array<{ message?: string; added?: string[]; modified?: string[]; removed?: string[] }>;
}

export async function receiveGithubWebhook({ ctx, input }: { ctx: OpContext; input: { event: string; signature: string; payload: string } }): Promise<{ integrations: number; marked: number }> {
  let payload: PushPayload;
  try {
    payload = JSON.parse(input.payload) as PushPayload;
  } catch {
    throw new ValidationError('the webhook body is not JSON', {});
  }
  const repository = payload.repository?.full_name;
  if (typeof repository !== 'string' || !input.signature) throw new AuthError('the webhook is not signed for a repository verso pushes to', {});
  const verified = [];
  for (const row of await findGithubIntegrationsByRepository(ctx.knex, repository)) {
    const secret = (await secretsOf(ctx, row)).webhookSecret;
    if (secret && (await new Webhooks({ secret }).verify(input.payload, input.signature).catch(() => false))) verified.push(row);
  }
  if (verified.length === 0) throw new AuthError('the webhook signature does not match any integration of this repository', {});
  if (input.event !== 'push' || typeof payload.ref !== 'string' || !payload.ref.startsWith('refs/heads/')) return { integrations: verified.length, marked: 0 };
  const branch = payload.ref.slice('refs/heads/'.length);
  const changed = new Set<string>();
  const removed = new Set<string>();
  for (const c of payload.commits ?? []) {
    // verso's own pushes name their source (lib/trailers.ts): they are not drift.
    if (parseSourceTrailer(c.message ?? '')) continue;
    for (const p of [...(c.added ?? []), ...(c.modified ?? [])]) (changed.add(p), removed.delete(p));
    for (const p of c.removed ?? []) (removed.add(p), changed.delete(p));
  }
  let marked = 0;
  for (const row of verified) {
    marked += await markMappingsChanged(ctx.knex, { siteId: row.site_id, integrationId: row.id, branch, paths: [...changed], status: 'remote_changed', ...stamp(ctx) });
    marked += await markMappingsChanged(ctx.knex, { siteId: row.site_id, integrationId: row.id, branch, paths: [...removed], status: 'missing', ...stamp(ctx) });
  }
  return { integrations: verified.length, marked };
}
