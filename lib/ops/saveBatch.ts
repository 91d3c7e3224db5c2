/**
 * The hot page: saves of one document on one branch that arrive while a save of it is already
 * in flight in this process wait in the document's lane, and the lane writes them together —
 * one transaction holding the document's row lock, the numbers taken once (takeNumber.ts:
 * orphans first), one chain of commits in one Git write (commitQueue.ts `then`: all land or
 * none), one version row and one event each, the draft flag on the newest only.
 *
 * Why: each save of a document holds its row lock across its Git write and its index
 * transaction, so 8 writers on one page were served one after another (52 saves/s on pg,
 * docs/benchmarks.md). A lane pays the lock, the fsyncs and the COMMIT once per batch.
 * Each save keeps its own number, message, author, idempotency key and base check, judged in
 * arrival order; one refused (a stale base, say) is answered alone and takes no number.
 * PostgreSQL only: the embedded store writes in two transactions (saveInTwo.ts) instead.
 */
import type { Db } from '../db/connection.js';
import { findLatestOnBranch, findVersionByIdempotencyKey } from '../db/queries/versions.js';
import { lockOrCreateDocument } from '../db/queries/documents.js';
import type { DocumentRow, VersionRow } from '../db/rows.js';
import type { SiteRepo } from '../objects/index.js';
import type { Oid, Version } from '../types.js';
import { commitToBranch } from './commitToBranch.js';
import { crashPoint, stamp, type OpContext, type SiteRef } from './context.js';
import { beginVersion, docName } from './recordVersion.js';
import { resolveRef } from './resolveRef.js';
import { commitStep, inDocumentFormat, indexOrphan, recordSaved, refuseStale, type PreparedVersion, type VersionDraft } from './save.js';
import { markIndexed, takeNumber } from './takeNumber.js';
import { toVersion, type DocAddr } from './toVersion.js';

// Bounds one transaction and one Git write (the commit queue's batch is 64 waiters).
const MAX_BATCH = 32;

interface Pending {
  draft: VersionDraft;
  resolve(v: Version): void;
  reject(err: unknown): void;
}

const lanes = new WeakMap<SiteRepo, Map<string, Pending[]>>();

/**
 * Runs `alone` (the one-save path) when no save of this document and branch is in flight here;
 * otherwise queues the draft for the lane that drains once the save in flight is done.
 */
export function writeInLane(ctx: OpContext, site: SiteRef, doc: DocAddr, draft: VersionDraft, alone: () => Promise<Version>): Promise<Version> {
  const repo = ctx.repo(site.slug);
  let open = lanes.get(repo);
  if (!open) lanes.set(repo, (open = new Map()));
  const key = `${docName(doc)}\0${draft.branch}`;
  const waiting = open.get(key);
  if (waiting) return new Promise((resolve, reject) => waiting.push({ draft, resolve, reject }));
  const queue: Pending[] = [];
  open.set(key, queue);
  return alone().finally(() => void drain(ctx, site, doc, open, key, queue));
}

async function drain(ctx: OpContext, site: SiteRef, doc: DocAddr, open: Map<string, Pending[]>, key: string, queue: Pending[]): Promise<void> {
  while (queue.length > 0) await writeBatch(ctx, site, doc, queue.splice(0, MAX_BATCH));
  open.delete(key);
}

interface Planned extends PreparedVersion {
  pending: Pending;
  /** Saves of the batch retried with this one's idempotency key get its answer. */
  twins: Pending[];
}

/** Settles every save of the batch; never throws. */
async function writeBatch(ctx: OpContext, site: SiteRef, doc: DocAddr, batch: Pending[]): Promise<void> {
  const moved: { chain?: Oid[] } = {};
  const branch = batch[0]!.draft.branch;
  let planned: Planned[] = [];
  try {
    const rows = await ctx.knex.transaction(async (trx) => {
      const locked = await lockOrCreateDocument(trx, { site_id: site.id, ...doc }, { id: ctx.newId(), format: batch[0]!.draft.format, ...stamp(ctx) });
      const { number, document } = await takeNumber(ctx, trx, site, locked);
      planned = await plan(ctx, trx, site, document, batch, number);
      if (planned.length === 0) return [];
      const now = ctx.clock.now();
      const [first, ...rest] = planned.map((p) => commitStep(doc, p, now));
      const { chain } = await commitToBranch({
        repo: ctx.repo(site.slug),
        branch,
        create: branch === 'main',
        ...first!,
        then: rest,
        beforeRefMove: () => crashPoint(ctx, 'after-commit'),
      });
      moved.chain = chain!;
      crashPoint(ctx, 'after-ref');
      await beginVersion(ctx, trx, site, document, branch, planned[planned.length - 1]!.number);
      const out: VersionRow[] = [];
      for (const [i, p] of planned.entries()) out.push(await recordSaved(ctx, trx, site, p, chain![i]!, now, { superseded: i < planned.length - 1 }));
      return out;
    });
    if (rows.length > 0) markIndexed(ctx.repo(site.slug), rows[rows.length - 1]!.commit_hash as Oid);
    crashPoint(ctx, 'after-index');
    rows.forEach((row, i) => {
      const v = toVersion(site, doc, row);
      planned[i]!.pending.resolve(v);
      for (const t of planned[i]!.twins) t.resolve(v);
    });
  } catch (err) {
    for (const c of moved.chain ?? []) await indexOrphan(ctx, site, branch, c);
    // Saves answered in plan() stay answered (a settled promise ignores this); the rest share the failure.
    for (const w of batch) w.reject(err);
  }
}

/**
 * Under the document's lock, in arrival order: the format, the idempotency key, the base check
 * (against the batch's own newer saves too), the number. A save refused here is answered at
 * once and the next one takes its number.
 */
async function plan(ctx: OpContext, trx: Db, site: SiteRef, document: DocumentRow, batch: Pending[], first: number): Promise<Planned[]> {
  const out: Planned[] = [];
  let latest: number | undefined;
  for (const pending of batch) {
    try {
      const d = inDocumentFormat(document, pending.draft);
      const twin = d.idempotencyKey ? out.find((p) => p.d.idempotencyKey === d.idempotencyKey) : undefined;
      if (twin) {
        twin.twins.push(pending);
        continue;
      }
      if (d.idempotencyKey) {
        const prior = await findVersionByIdempotencyKey(trx, site.id, document.id, d.idempotencyKey);
        if (prior) {
          pending.resolve(toVersion(site, document, prior));
          continue;
        }
      }
      if (d.baseVersion !== undefined) {
        const base = (await resolveRef(trx, site.id, document.id, d.baseVersion, 'baseVersion')).number;
        latest ??= (await findLatestOnBranch(trx, site.id, document.id, d.branch))?.number;
        refuseStale(base, out.length > 0 ? out[out.length - 1]!.number : latest, d.branch);
      }
      const blob = d.blob ?? ctx.repo(site.slug).hashBlob(d.bytes!);
      out.push({ d, document, number: first + out.length, blob, pending, twins: [] });
    } catch (err) {
      pending.reject(err);
    }
  }
  return out;
}
