/**
 * isomorphic-git's HTTP client over the SSRF-guarded fetch: every request and every redirect
 * hop is checked, and credentials go as HTTP Basic in a header we set (never in the URL, which
 * would end up in error messages).
 */
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

async function collect(body: GitHttpRequest['body']): Promise<Buffer | undefined> {
  if (!body) return undefined;
  const parts: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) parts.push(chunk);
  return Buffer.concat(parts);
}

export function guardedGitHttp(fetchFn: typeof fetch): HttpClient {
  return {
    async request(req: GitHttpRequest): Promise<GitHttpResponse> {
      const body = await collect(req.body);
      const res = await fetchFn(req.url, { method: req.method ?? 'GET', headers: req.headers ?? {}, ...(body ? { body: new Uint8Array(body) as unknown as BodyInit } : {}) });
      const bytes = new Uint8Array(await res.arrayBuffer());
      return {
        url: res.url || req.url,
        method: req.method ?? 'GET',
        statusCode: res.status,
        statusMessage: res.statusText,
        headers: Object.fromEntries(res.headers.entries()),
        body: (async function* () {
          yield bytes;
        })(),
      };
    },
  };
}

export function basicAuthHeaders(username: string | undefined, token: string | undefined): Record<string, string> {
  if (!token) return {};
  return { Authorization: `Basic ${Buffer.from(`${username || 'verso'}:${token}`).toString('base64')}` };
}
