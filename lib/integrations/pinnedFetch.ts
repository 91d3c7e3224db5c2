/**
 * A fetch over node:http(s) whose agents resolve host names through one `lookup`, so the
 * address a connection goes to is the address that was checked: a name that resolves to a
 * public address when the URL is checked and to 127.0.0.1 when the socket opens (DNS
 * rebinding) is refused at connect time. TLS still verifies the certificate for the host name
 * (Node sends it as SNI), since only the address lookup is ours. Node's global fetch (undici)
 * takes no lookup without the undici package's Agent, which is not a dependency.
 *
 * Only what the integrations' callers use is implemented: a method, headers, a body, a signal;
 * redirects are never followed (the SSRF guard follows them hop by hop); gzip, deflate and br
 * answers are decoded as fetch does.
 */
import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

export interface PinnedFetch {
  fetch: typeof fetch;
  /** Closes the kept-alive sockets (idle ones never hold the process open). */
  destroy(): void;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

function decoded(res: IncomingMessage): Readable {
  const encoding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return res.pipe(createGunzip());
  if (encoding === 'deflate') return res.pipe(createInflate());
  if (encoding === 'br') return res.pipe(createBrotliDecompress());
  return res;
}

async function bodyBytes(body: RequestInit['body']): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // Anything else fetch accepts (ArrayBuffer, Blob, a stream, URLSearchParams): as fetch reads it.
  return Buffer.from(await new Response(body).arrayBuffer());
}

export function createPinnedFetch(lookup: LookupFunction): PinnedFetch {
  const agents = { http: new HttpAgent({ keepAlive: true, lookup }), https: new HttpsAgent({ keepAlive: true, lookup }) };
  const pinned = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') throw new TypeError(`fetch: unsupported protocol ${url.protocol}`);
    const method = (init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => void (headers[name] = value));
    headers['accept-encoding'] ??= 'gzip, deflate, br';
    const body = await bodyBytes(init.body);
    if (body) headers['content-length'] = String(body.length);
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(url, { method, headers, agent: secure ? agents.https : agents.http, ...(init.signal ? { signal: init.signal } : {}) }, resolve);
      req.on('error', reject);
      req.end(body);
    });
    const out = new Headers();
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) out.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
    const status = res.statusCode ?? 502;
    const empty = method === 'HEAD' || NULL_BODY.has(status);
    if (empty) res.resume();
    else if (out.has('content-encoding')) (out.delete('content-encoding'), out.delete('content-length'));
    const stream = empty ? null : (Readable.toWeb(decoded(res)) as unknown as ReadableStream<Uint8Array>);
    const response = new Response(stream, { status, statusText: res.statusMessage ?? '', headers: out });
    // Response.url is read-only on a constructed Response; callers read it after redirects.
    Object.defineProperty(response, 'url', { value: url.href });
    return response;
  };
  return {
    fetch: pinned as typeof fetch,
    destroy: () => (agents.http.destroy(), agents.https.destroy()),
  };
}
