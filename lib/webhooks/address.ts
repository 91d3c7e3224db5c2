/**
 * SSRF guard for webhook receivers: a webhook URL must not reach loopback, private, link-local
 * or otherwise internal addresses (a key holder could otherwise make the gateway probe its own
 * network), unless VERSO_ALLOW_PRIVATE_REMOTES=1. Checked on every address a name resolves to,
 * at connect time (the `lookup` of the request), so a name that re-resolves to 127.0.0.1 after
 * the webhook was created is refused too.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

function ipv4Internal(ip: string): boolean {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return a === 0 || a === 10 || a === 127 || a >= 224 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254)
    || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 198 && (b === 18 || b === 19));
}

/** True for addresses a webhook may not reach without VERSO_ALLOW_PRIVATE_REMOTES. */
export function isInternalAddress(ip: string): boolean {
  if (isIP(ip) === 4) return ipv4Internal(ip);
  const v6 = ip.toLowerCase().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return ipv4Internal(mapped[1]!);
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6);
}

export function privateRemotesAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.VERSO_ALLOW_PRIVATE_REMOTES === '1';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that refuses internal addresses (unless allowed). */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = addresses.find((a) => isInternalAddress(a.address));
      if (bad && !allowPrivate) {
        const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${bad.address}, an internal address (set VERSO_ALLOW_PRIVATE_REMOTES=1 to allow)`);
        refused.code = 'EPRIVATE';
        return callback(refused, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Why `url` may not be a webhook receiver, or undefined when it may. Names are checked again
 * at each delivery, on what they resolve to then; literal addresses are checked here and
 * there (a request to a literal never asks `lookup`).
 */
export function webhookUrlProblem(url: string, allowPrivate: boolean): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'url is not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'url must be http or https';
  if (u.username || u.password) return 'url must not carry credentials';
  if (allowPrivate) return undefined;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isInternalAddress(host))) {
    return `${u.hostname} is a loopback or private address (set VERSO_ALLOW_PRIVATE_REMOTES=1 to allow)`;
  }
  return undefined;
}
