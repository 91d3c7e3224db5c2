/**
 * The webhook dispatcher: runs in the gateway process (and `verso serve`), never in one-shot
 * CLI runs. It polls the outbox for due deliveries, claims a batch (FOR UPDATE SKIP LOCKED,
 * under a lease), POSTs each signed per Standard Webhooks, and records the attempt. A failed
 * attempt is retried after VERSO_WEBHOOK_RETRY_MS (default 5000) doubled per attempt, with
 * ±20 % jitter so receivers that failed together are not retried together; after the 8th
 * failed attempt the delivery is `failed`. Pending deliveries live in the database, so a
 * restarted gateway sends what its predecessor did not.
 *
 * Environment: VERSO_WEBHOOK_RETRY_MS, VERSO_WEBHOOK_TIMEOUT_MS (default 10000),
 * VERSO_WEBHOOK_POLL_MS (default 1000), VERSO_WEBHOOK_DISABLE_AFTER (failed deliveries in a row
 * that disable a webhook, default 5), VERSO_ALLOW_PRIVATE_REMOTES=1 (receivers on loopback and
 * private networks, for development and tests).
 */
import { claimDueDeliveries, findEventForDelivery, recordAttempt, type ClaimedDelivery } from '../db/queries/webhooks.js';
import { toChangeEvent } from '../ops/listEvents.js';
import type { OpContext } from '../ops/context.js';
import { decryptSecret, loadSecretKey } from '../secrets.js';
import { privateRemotesAllowed } from './address.js';
import { postWebhook } from './post.js';
import { signWebhook } from './sign.js';

export const MAX_ATTEMPTS = 8;
const BATCH = 16;

export interface DispatcherSettings {
  retryMs: number;
  timeoutMs: number;
  pollMs: number;
  disableAfter: number;
  allowPrivate: boolean;
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): DispatcherSettings {
  return {
    retryMs: positive(env.VERSO_WEBHOOK_RETRY_MS, 5000),
    timeoutMs: positive(env.VERSO_WEBHOOK_TIMEOUT_MS, 10_000),
    pollMs: positive(env.VERSO_WEBHOOK_POLL_MS, 1000),
    disableAfter: positive(env.VERSO_WEBHOOK_DISABLE_AFTER, 5),
    allowPrivate: privateRemotesAllowed(env),
  };
}

/** Wait before attempt n + 1 after attempt n (1-based) failed; undefined after the last. */
export function retryDelay(attempt: number, baseMs: number, random: () => number = Math.random): number | undefined {
  if (attempt >= MAX_ATTEMPTS) return undefined;
  return Math.round(baseMs * 2 ** (attempt - 1) * (0.8 + 0.4 * random()));
}

export function startDispatcher({ ctx, pollMs }: { ctx: OpContext; pollMs?: number }): { stop(): Promise<void> } {
  const settings = { ...settingsFromEnv(), ...(pollMs ? { pollMs } : {}) };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let key: Promise<Buffer> | undefined;

  const deliverOne = async (d: ClaimedDelivery): Promise<void> => {
    const event = await findEventForDelivery(ctx.knex, d.site_id, d.event_id);
    if (!event) return; // the site (and with it the event) was deleted meanwhile
    const data = toChangeEvent(event.site_slug, event);
    const body = JSON.stringify({ type: d.action, timestamp: data.createdAt, data });
    key ??= loadSecretKey(ctx.dataDir);
    let secret: string;
    try {
      secret = decryptSecret(await key, d.secret_encrypted);
    } catch {
      // Another key encrypted it (gateways without a shared VERSO_SECRET_KEY): not deliverable here.
      ctx.log.warn({ webhook: d.webhook_id }, 'webhook secret does not decrypt with this store\'s key; set one VERSO_SECRET_KEY on every gateway');
      return;
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await postWebhook({
      url: d.url,
      body,
      timeoutMs: settings.timeoutMs,
      allowPrivate: settings.allowPrivate,
      headers: { 'webhook-id': d.id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, d.id, timestamp, body) },
    });
    const delivered = result.status !== undefined && result.status >= 200 && result.status < 300;
    const attempt = d.attempts + 1;
    // One transaction: a reader never sees the delivery final before the webhook's run is counted.
    const outcome = {
      attemptId: ctx.newId(),
      ...result,
      delivered,
      retryInMs: delivered ? undefined : retryDelay(attempt, settings.retryMs),
      disableAfter: settings.disableAfter,
      hlc: ctx.clock.tick(),
      nodeId: ctx.nodeId,
    };
    await ctx.knex.transaction((trx) => recordAttempt(trx, d, outcome));
  };

  const tick = async (): Promise<void> => {
    // The lease outlasts the request, so no other dispatcher claims a row while it is in flight.
    const claimed = await claimDueDeliveries(ctx.knex, { limit: BATCH, leaseMs: settings.timeoutMs + 30_000 });
    await Promise.all(claimed.map((d) => deliverOne(d).catch((err: unknown) => ctx.log.warn({ delivery: d.id, err: String(err) }, 'webhook delivery not recorded; it is retried when its lease ends'))));
    // A full batch means more may be due: go again at once.
    if (claimed.length === BATCH && !stopped) return tick();
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((err: unknown) => ctx.log.warn({ err: String(err) }, 'webhook dispatcher could not read the outbox'))
        .finally(schedule);
    }, settings.pollMs);
    timer.unref();
  };
  // First look at once: deliveries left pending by a previous process go out on start.
  running = tick().catch((err: unknown) => ctx.log.warn({ err: String(err) }, 'webhook dispatcher could not read the outbox')).finally(schedule);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
