/**
 * Structured request logs (pino-http): one line per request with a request id, echoed as
 * `X-Request-Id`. Headers are never logged (the Authorization header carries the API key),
 * and credentials in URLs (preview tokens, `key`/`token` query parameters) are redacted.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const SECRET_QUERY = /^(?:key|api_?key|apikey|token|access_token|password)$/i;
// verso API keys (lib/ops/keys.ts: "vk_" + base64url), wherever they appear, even nested in
// another parameter such as a sign-in page's return address.
const API_KEY = /vk_[A-Za-z0-9_-]{16,}/g;

/** The URL as it may appear in a log: path credentials and secret query values redacted. */
export function redactUrl(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  path = path.replace(/^(\/v1\/preview\/)[^/?#]+/, '$1[redacted]');
  if (q === -1) return path.replace(API_KEY, 'vk_[redacted]');
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of [...params.keys()]) {
    if (SECRET_QUERY.test(name)) params.set(name, '[redacted]');
  }
  return `${path}?${params.toString()}`.replace(API_KEY, 'vk_[redacted]');
}

export function defaultLogger(): Logger {
  return pino({ level: process.env.LOG_LEVEL ?? 'info' });
}

export function requestLogger(logger: Logger): RequestHandler {
  const middleware = pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    wrapSerializers: true,
    serializers: {
      req: (req: { id?: unknown; method?: unknown; url?: string; remoteAddress?: unknown }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode?: unknown }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel(_req, res, err) {
      if (err || res.statusCode >= 500) return 'error';
      return 'info';
    },
    customSuccessObject(_req, res, val: Record<string, unknown>) {
      const locals = (res as ServerResponse & { locals?: Record<string, unknown> }).locals ?? {};
      const auth = locals.versoAuth as { principal?: { keyId?: string } } | undefined;
      return {
        ...val,
        ...(auth?.principal?.keyId ? { keyId: auth.principal.keyId } : {}),
        ...(typeof locals.errorCode === 'string' ? { errorCode: locals.errorCode } : {}),
      };
    },
  });
  return middleware as unknown as RequestHandler;
}
