/**
 * One webhook POST over node:http(s): the SSRF-guarded lookup, a whole-request timeout (a slow
 * receiver cannot hold a dispatcher slot), and at most the first 2000 characters of the answer.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, webhookUrlProblem } from './address.js';

export interface PostResult {
  status?: number;
  body?: string;
  error?: string;
  durationMs: number;
}

export const BODY_LIMIT = 2000;

export function postWebhook(a: { url: string; headers: Record<string, string>; body: string; timeoutMs: number; allowPrivate: boolean }): Promise<PostResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const done = (r: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, durationMs: Date.now() - started });
    };
    const problem = webhookUrlProblem(a.url, a.allowPrivate);
    if (problem) return done({ error: problem });
    const url = new URL(a.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'verso-webhooks', 'content-length': String(Buffer.byteLength(a.body)), ...a.headers },
      lookup: guardedLookup(a.allowPrivate) as never,
    }, (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < BODY_LIMIT) text += chunk;
      });
      res.on('end', () => done({ status: res.statusCode, body: text.slice(0, BODY_LIMIT) }));
      res.on('error', (err) => done({ status: res.statusCode, error: err.message.slice(0, 1000) }));
    });
    timer = setTimeout(() => {
      req.destroy();
      done({ error: `no answer within ${a.timeoutMs} ms` });
    }, a.timeoutMs);
    req.on('error', (err) => done({ error: err.message.slice(0, 1000) }));
    req.end(a.body);
  });
}
