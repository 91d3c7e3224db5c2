/**
 * The SSRF guard: an integration makes the server send requests to a URL a user typed, so the
 * URL must be http(s) and its host must not resolve to loopback, link-local, private or other
 * non-public ranges (cloud metadata services live at 169.254.169.254), unless the operator sets
 * VERSO_ALLOW_PRIVATE_REMOTES=1 (self-hosted GitLab on the LAN; tests). Every request is checked,
 * not only the configured URL, and redirects are followed by hand so that each hop is checked
 * too. The connection resolves its host through the same guarded lookup (pinnedFetch.ts), so a
 * name that resolves elsewhere by the time the socket opens (DNS rebinding) is refused there:
 * what is checked is what is connected to.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { ValidationError } from '../errors/index.js';
import { createPinnedFetch } from './pinnedFetch.js';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(net, bits, 'ipv6');

export interface RemoteGuard {
  /** Throws ValidationError unless `url` may be contacted. */
  check(url: string, field: string): Promise<URL>;
  /** fetch with every hop (redirects included) checked, and every connection's address too. */
  fetch: typeof fetch;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface RemoteGuardOptions {
  allowPrivate: boolean;
  /** Every address of a host name (default: the system resolver, as dns.lookup with all). */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
}

const systemResolve = (host: string): Promise<ResolvedAddress[]> => dnsLookup(host, { all: true, verbatim: true });

function blockedHost(field: string, host: string): ValidationError {
  return new ValidationError(`${field}: host ${host} is on a loopback, link-local or private network (set VERSO_ALLOW_PRIVATE_REMOTES=1 to allow)`, { field, host });
}

/**
 * net's `lookup` for the guarded agents: the same resolver and the same refusal as `check`,
 * at the moment the socket connects (net calls it for host names only; an IP literal was
 * checked as it is and cannot change).
 */
function guardedLookup(resolve: (host: string) => Promise<ResolvedAddress[]>, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }), '', 0);
        if (!allowPrivate && wanted.some((a) => isBlockedAddress(a.address))) return callback(blockedHost('remote URL', hostname), '', 0);
        if (options.all) return (callback as unknown as (err: null, addresses: ResolvedAddress[]) => void)(null, wanted);
        return callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    // An IPv4-mapped address (::ffff:127.0.0.1) is the IPv4 address.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export function createRemoteGuard(opts: RemoteGuardOptions): RemoteGuard {
  const resolve = opts.resolve ?? systemResolve;
  const pinned = createPinnedFetch(guardedLookup(resolve, opts.allowPrivate));
  const check = async (raw: string, field: string): Promise<URL> => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ValidationError(`${field} is not a URL`, { field });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ValidationError(`${field} must be an http(s) URL`, { field });
    if (url.username || url.password) throw new ValidationError(`${field} must not carry credentials; give username and token instead`, { field });
    if (opts.allowPrivate) return url;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : (await resolve(host).catch(() => [])).map((a) => a.address);
    if (addresses.length === 0) throw new ValidationError(`${field}: host ${host} does not resolve`, { field, host });
    if (addresses.some(isBlockedAddress)) throw blockedHost(field, host);
    return url;
  };
  const guardedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    let url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let request: RequestInit = { ...(input instanceof Request ? { method: input.method, headers: input.headers, body: input.body } : {}), ...init };
    for (let hop = 0; hop <= 5; hop++) {
      await check(url, 'remote URL');
      const res = await pinned.fetch(url, request);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return res;
      url = new URL(location, url).href;
      // A 303 (and, as browsers do, 301/302 after POST) turns into a GET without a body.
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && request.method && request.method !== 'GET')) {
        const { body: _body, ...rest } = request;
        request = { ...rest, method: 'GET' };
      }
    }
    throw new ValidationError('the remote redirected too many times', { field: 'url' });
  };
  return { check, fetch: guardedFetch as typeof fetch };
}
