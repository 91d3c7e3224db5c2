/**
 * A webhook that a run of failed deliveries disabled can be turned back on (updateWebhook
 * `{ disabled: false }`), embedded and remote alike: its failure run starts again from 0, new
 * events are delivered again, events of the disabled period are not. Before this, a disabled
 * webhook could only be deleted and re-created (with a new secret).
 */
import { expect } from 'chai';
import { NotFoundError, ValidationError } from '../../../lib/errors/index.js';
import type { Store } from '../../../lib/types.js';
import { databaseTargets } from '../../helpers/databases.js';
import { startReceiver } from '../../helpers/receiver.js';
import { useWebhookSuite } from './harness.js';

for (const target of databaseTargets()) {
  describe(`webhook re-enable on ${target}`, function () {
    this.timeout(180_000);
    const suite = useWebhookSuite(target);
    const settled = (webhookId: string, count: number) => suite.settled(webhookId, count, 60_000);

    for (const via of ['embedded', 'remote'] as const) {
      const client = (): Store => (via === 'embedded' ? suite.gw.store : suite.gw.admin);

      it(`re-enables a webhook a run of failures disabled (${via}); the failure run starts again`, async function () {
        const site = client().site('acme');
        suite.receiver.script.push(...Array<number>(16).fill(500));
        const hook = await site.createWebhook({ url: suite.receiver.url, events: ['version.create'] });
        await suite.gw.editor.site('acme').doc('page', `${via}-fail-1`).save({ content: { title: 'x' } });
        await suite.gw.editor.site('acme').doc('page', `${via}-fail-2`).save({ content: { title: 'y' } });
        await settled(hook.id, 2);
        expect((await site.webhooks()).find((w) => w.id === hook.id)!.disabled).to.equal(true);
        await suite.gw.editor.site('acme').doc('page', `${via}-while-off`).save({ content: { title: 'unseen' } });

        const enabled = await site.updateWebhook(hook.id, { disabled: false });
        expect(enabled).to.deep.include({ id: hook.id, url: suite.receiver.url, events: ['version.create'], disabled: false });
        expect((await site.webhooks()).find((w) => w.id === hook.id)!.disabled).to.equal(false);

        // One more failed delivery: with the old run (2) kept it would disable the webhook again.
        suite.receiver.script.push(...Array<number>(8).fill(500));
        await suite.gw.editor.site('acme').doc('page', `${via}-fail-3`).save({ content: { title: 'z' } });
        await settled(hook.id, 3);
        expect((await site.webhooks()).find((w) => w.id === hook.id)!.disabled).to.equal(false);

        const before = suite.receiver.received.length;
        await suite.gw.editor.site('acme').doc('page', `${via}-back`).save({ content: { title: 'Back' } });
        const deliveries = await settled(hook.id, 4);
        expect(deliveries[0]).to.include({ status: 'delivered', attempts: 1, lastStatus: 200 });
        expect(suite.receiver.received.length).to.equal(before + 1);
        // The save made while it was disabled got no delivery.
        expect(deliveries).to.have.length(4);

        const { items } = await suite.gw.admin.site('acme').events({ limit: 1000 });
        const update = items.filter((e) => e.action === 'webhook.update').at(-1)!;
        expect(update.data).to.deep.include({ webhook: hook.id, changed: ['disabled'] });
        expect(update.oldValues).to.deep.equal({ disabled: true });
        expect(update.newValues).to.deep.equal({ disabled: false });
      });

      it(`disables by hand, changes events and url, and refuses what it must (${via})`, async function () {
        const site = client().site('acme');
        const hook = await site.createWebhook({ url: suite.receiver.url, events: ['version.create'] });
        expect(await site.updateWebhook(hook.id, { disabled: true })).to.include({ disabled: true });
        await suite.gw.editor.site('acme').doc('page', `${via}-manual-off`).save({ content: { title: 'off' } });
        expect((await site.deliveries(hook.id)).items).to.deep.equal([]);
        const other = await startReceiver();
        try {
          const changed = await site.updateWebhook(hook.id, { url: other.url, events: ['version.publish'], disabled: false });
          expect(changed).to.deep.include({ url: other.url, events: ['version.publish'], disabled: false });
        } finally {
          await other.close();
        }
        const missing = '01J00000000000000000000000';
        expect(await site.updateWebhook(missing, { disabled: false }).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
        for (const input of [{ active: true }, { disabled: 'no' }, { events: ['version.delete'] }, { url: 'ftp://example.com/x' }]) {
          const err = await site.updateWebhook(hook.id, input as never).catch((e: unknown) => e);
          expect(err, JSON.stringify(input)).to.be.instanceOf(ValidationError);
        }
        expect((await site.webhooks()).find((w) => w.id === hook.id)).to.deep.include({ url: other.url, events: ['version.publish'] });
      });
    }
  });
}
