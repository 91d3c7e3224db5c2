/**
 * The change feed as Server-Sent Events: `GET /v1/sites/:site/events` with
 * `Accept: text/event-stream`. Each event is sent with its id (`id:`), its action (`event:`)
 * and the ChangeEvent as `data:`; a client that reconnects with `Last-Event-ID` (browsers'
 * EventSource do) resumes after it. New events are found by polling the feed (the database is
 * shared by every gateway, so this sees events written by any of them).
 */
import type { Request, Response } from 'express';
import type { SiteHandle } from '../lib/types.js';

const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;

export function wantsEventStream(req: Request): boolean {
  return (req.headers.accept ?? '').split(',').some((t) => t.trim().split(';')[0] === 'text/event-stream');
}

/** The signal serve.ts aborts on shutdown, so open streams end instead of holding it up. */
function shutdownSignal(req: Request): AbortSignal | undefined {
  return (req.app.locals as { shutdown?: AbortSignal }).shutdown;
}

export async function streamEvents(a: { site: SiteHandle; req: Request; res: Response; after?: string }): Promise<void> {
  const { req, res, site } = a;
  const lastId = req.headers['last-event-id'];
  let after = (typeof lastId === 'string' && lastId.trim()) || a.after;
  // The first read happens before the headers go out, so a bad cursor is still a JSON 400.
  let page = await site.events({ ...(after ? { after } : {}), limit: 1000 });
  res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  let open = true;
  const stop = () => {
    open = false;
  };
  req.on('close', stop);
  const signal = shutdownSignal(req);
  signal?.addEventListener('abort', stop);
  let quietSince = Date.now();
  try {
    while (open) {
      for (const e of page.items) {
        res.write(`id: ${e.id}\nevent: ${e.action}\ndata: ${JSON.stringify(e)}\n\n`);
        after = e.id;
        quietSince = Date.now();
      }
      if (!page.next) {
        if (Date.now() - quietSince >= HEARTBEAT_MS) {
          res.write(': keep-alive\n\n');
          quietSince = Date.now();
        }
        await new Promise<void>((r) => setTimeout(r, POLL_MS).unref());
      }
      if (!open || signal?.aborted) break;
      page = await site.events({ ...(after ? { after } : {}), limit: 1000 });
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    res.end();
  }
}
