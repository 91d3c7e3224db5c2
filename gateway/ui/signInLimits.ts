/**
 * Failed sign-ins, counted per presented key and per client address. Guessing a key is futile
 * at 256 bits, but a loop hammering authenticate() loads the database, and one address must not
 * be able to lock everyone else behind it (a shared NAT or proxy) out of their right keys. So:
 * - a key (named by its first 10 characters, the prefix verso stores) that failed MAX_PER_KEY
 *   times from one address is paused there, and MAX_PER_KEY_ANYWHERE times from anywhere is
 *   paused everywhere: nobody can keep guessing at one key;
 * - an address with MAX_PER_ADDRESS failures gets its next wrong keys answered "too many"
 *   (429) instead of "wrong" (401), but a right key it presents still signs in.
 * Counts reset WINDOW_MS after the first failure.
 */
const MAX_PER_KEY = 5;
const MAX_PER_KEY_ANYWHERE = 20;
const MAX_PER_ADDRESS = 20;
const WINDOW_MS = 5 * 60 * 1000;
/** Entries kept at most per map (oldest dropped first), so a flood of addresses stays bounded. */
const MAX_ENTRIES = 50_000;

class Counter {
  private readonly entries = new Map<string, { count: number; since: number }>();

  count(id: string, now: number): number {
    const e = this.entries.get(id);
    if (e && now - e.since > WINDOW_MS) {
      this.entries.delete(id);
      return 0;
    }
    return e?.count ?? 0;
  }

  add(id: string, now: number): void {
    const e = this.count(id, now) ? this.entries.get(id)! : { count: 0, since: now };
    e.count++;
    this.entries.set(id, e);
    for (const k of this.entries.keys()) {
      if (this.entries.size <= MAX_ENTRIES) break;
      this.entries.delete(k);
    }
  }

  clear(id: string): void {
    this.entries.delete(id);
  }
}

export function keyPrefix(key: string): string {
  return key.slice(0, 10);
}

export class SignInLimits {
  private readonly byAddress = new Counter();
  private readonly byKeyAndAddress = new Counter();
  private readonly byKey = new Counter();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when this key may not be tried now (from this address, or at all). */
  keyPaused(ip: string, key: string): boolean {
    const t = this.now();
    return this.byKeyAndAddress.count(`${ip}\n${keyPrefix(key)}`, t) >= MAX_PER_KEY || this.byKey.count(keyPrefix(key), t) >= MAX_PER_KEY_ANYWHERE;
  }

  /** True when the address has failed so often that a wrong key is answered with 429. */
  addressOverLimit(ip: string): boolean {
    return this.byAddress.count(ip, this.now()) >= MAX_PER_ADDRESS;
  }

  fail(ip: string, key: string): void {
    const t = this.now();
    this.byAddress.add(ip, t);
    this.byKeyAndAddress.add(`${ip}\n${keyPrefix(key)}`, t);
    this.byKey.add(keyPrefix(key), t);
  }

  succeed(ip: string, key: string): void {
    this.byKeyAndAddress.clear(`${ip}\n${keyPrefix(key)}`);
  }
}
