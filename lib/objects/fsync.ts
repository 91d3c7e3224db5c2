/**
 * Directory fsyncs, batched. A rename is durable only once its directory is fsynced; doing that
 * once per touched `objects/xx` directory per commit (instead of once per object) keeps a save
 * to a few fsync round-trips.
 */
import { open } from 'node:fs/promises';

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export class DirSyncQueue {
  private readonly pending = new Set<string>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly enabled: boolean) {}

  /** Records that an entry was renamed into `dir`; the next flush makes it durable. */
  add(dir: string): void {
    if (this.enabled) this.pending.add(dir);
  }

  /**
   * Fsyncs every pending directory. It also waits for fsyncs other callers started: one of
   * them may have taken our directory off the pending set, and our rename is durable only when
   * that fsync has finished.
   */
  async flush(): Promise<void> {
    for (const dir of this.pending) {
      const p: Promise<void> = fsyncDir(dir).finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }
    this.pending.clear();
    if (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }
}
