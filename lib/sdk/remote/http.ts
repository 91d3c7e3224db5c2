/**
 * The HTTP transport of the remote store: one `request` function over an injected fetch.
 * Error answers are turned back into the classes the embedded store throws (errorFromJSON),
 * so `instanceof NotFoundError` works alike embedded and remote. The API key is sent only in
 * the Authorization header and never appears in an error.
 */
import { InternalError, UnavailableError, ValidationError, codeOfStatus, errorFromJSON, type VersoError } from '../../errors/index.js';

export type FetchLike = typeof fetch;

export interface Transport {
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, opts?: { query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal }): Promise<T>;
}

/**
 * Builds a path from literal parts and URL-encoded segments: path`/v1/sites/${id}`.
 * URL parsing removes "." and ".." segments even percent-encoded (WHATWG URL), and an empty
 * segment would name another route, so those are refused here rather than sent.
 * @throws ValidationError for an empty, "." or ".." segment.
 */
export function path(strings: TemplateStringsArray, ...segments: Array<string | number>): string {
  let out = strings[0]!;
  segments.forEach((seg, i) => {
    const s = String(seg);
    if (s === '' || s === '.' || s === '..') {
      throw new ValidationError(`${JSON.stringify(s)} is not a valid name or reference`, { value: s });
    }
    out += encodeURIComponent(s) + strings[i + 1]!;
  });
  return out;
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.append(name, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** An error for an answer that is not in the contract shape (a proxy's 502 page, say). */
function errorFromStatus(status: number, text: string): VersoError {
  const code = codeOfStatus(status);
  return errorFromJSON({ code, message: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`, details: { status } });
}

export function createTransport(opts: { baseUrl: string; apiKey: string; fetch?: FetchLike }): Transport {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch: FetchLike = opts.fetch ?? globalThis.fetch;
  const authorization = `Bearer ${opts.apiKey}`;
  return {
    async request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', p: string, o: { query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json', authorization, ...o.headers };
      let body: string | undefined;
      if (o.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(o.body);
      }
      let res: Response;
      try {
        res = await doFetch(`${base}${p}${queryString(o.query)}`, { method, headers, body, signal: o.signal });
      } catch (cause) {
        if (o.signal?.aborted) throw cause;
        throw new UnavailableError(`could not reach the verso gateway at ${base}`, { baseUrl: base, reason: 'unreachable' }, cause);
      }
      if (res.status === 204) return undefined as T;
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (res.ok) {
        if (parsed === undefined && text) throw new InternalError(`the gateway answered ${method} ${p} with a body that is not JSON`, { status: res.status });
        return parsed as T;
      }
      const error = (parsed as { error?: unknown } | undefined)?.error;
      if (error && typeof error === 'object') throw errorFromJSON(error as { code?: unknown; message?: unknown; details?: unknown });
      throw errorFromStatus(res.status, parsed === undefined ? text : '');
    },
  };
}
