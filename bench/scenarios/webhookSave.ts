/**
 * Scenario: what a subscribed webhook adds to a save (issue 11: save p50 with one webhook vs
 * none, target ≤ 1.1×). The webhook's delivery row is written by the event's own statement
 * (the outbox fan-out), so the save path pays one more row in the same round trip; sending is
 * the dispatcher's work, off the save path, and no dispatcher runs here.
 *
 * Fairness: two sites of one store, one document each, fed the same sequence of pages (so the
 * same bytes, the same tree sizes, the same index growth); the only difference is the webhook.
 * The saves alternate one by one, the order flipping every round (stats.alternate), since the
 * difference looked for (≤ 10 %) is far below this shared machine's swings over a block of saves.
 */
import { EvolvingPage } from '../content.js';
import { type BenchOptions, type DbKind, type Row, type Scenario, type ScenarioResult, perDb } from '../env.js';
import { alternate, ratio, summarize } from '../stats.js';

async function runOn(kind: DbKind, o: BenchOptions): Promise<ScenarioResult> {
  const n = o.quick ? 150 : 600;
  const warmup = o.quick ? 10 : 30;
  const { verso } = await o.env.sharedFor(kind);
  await verso.createSite({ id: 'wh-none', name: 'No webhook', locales: ['en'] });
  await verso.createSite({ id: 'wh-one', name: 'One webhook', locales: ['en'] });
  // A name, not an address: accepted without VERSO_ALLOW_PRIVATE_REMOTES and never contacted.
  await verso.site('wh-one').createWebhook({ url: 'https://hooks.example.invalid/verso', events: ['version.create'] });
  const none = verso.site('wh-none').doc('page', 'home', 'en');
  const one = verso.site('wh-one').doc('page', 'home', 'en');
  const pn = new EvolvingPage(3);
  const po = new EvolvingPage(3);
  o.log(`  webhook save (${kind}): ${n} saves each, alternating`);
  const [a, b] = await alternate(n, warmup, [
    () => one.save({ content: po.next(), message: 'Edit', author: 'Bench' }),
    () => none.save({ content: pn.next(), message: 'Edit', author: 'Bench' }),
  ]);
  const sa = summarize(a!);
  const sb = summarize(b!);
  const rows: Row[] = [
    { name: `save p50 with one webhook (${kind})`, unit: 'ms', verso: sa.p50, baseline: sb.p50, baselineName: 'the same save, no webhook', ratio: ratio(sa.p50, sb.p50) },
  ];
  return { rows, notes: [`webhook save (${kind}): p99 ${sa.p99.toFixed(2)} ms with one webhook, ${sb.p99.toFixed(2)} ms without`] };
}

export const webhookSave: Scenario = perDb('webhook-save', runOn);
