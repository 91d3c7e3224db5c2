/**
 * Webhooks end to end: a real gateway (with its dispatcher) on each database, a real HTTP
 * receiver, signatures verified with the Standard Webhooks library, retries, failure, disable,
 * timeouts, redelivery, filters, and the SSRF guard.
 */
import { expect } from 'chai';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { ValidationError } from '../../../lib/errors/index.js';
import { databaseTargets } from '../../helpers/databases.js';
import { setEnv, useWebhookSuite } from './harness.js';

for (const target of databaseTargets()) {
  describe(`webhook delivery on ${target}`, function () {
    this.timeout(120_000);
    const suite = useWebhookSuite(target);
    const settled = (webhookId: string, count: number) => suite.settled(webhookId, count);

    it('delivers a save made through the API, signed (verified by the standardwebhooks library) and naming the key', async function () {
      const hook = await suite.gw.admin.site('acme').createWebhook({ url: suite.receiver.url, events: ['version.create'] });
      expect(hook.secret).to.match(/^whsec_/);
      expect(hook).to.include({ url: suite.receiver.url, disabled: false });
      const v = await suite.gw.editor.site('acme').doc('page', 'home').save({ content: { title: 'Hello' }, author: 'Ada' });
      await suite.receiver.until((r) => r.length >= 1);
      const got = suite.receiver.received[0]!;
      const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(got.headers[h])]));
      const payload = new StandardWebhook(hook.secret).verify(got.body, headers) as { type: string; timestamp: string; data: Record<string, any> };
      expect(payload.type).to.equal('version.create');
      expect(payload.data).to.include({ site: 'acme', type: 'page', key: 'home', locale: 'en', versionNumber: v.number, commit: v.commit });
      expect(payload.data.actor).to.deep.equal({ keyId: suite.gw.editorKeyId, name: 'ci-bot' });
      // A forged body does not verify with the same headers.
      expect(() => new StandardWebhook(hook.secret).verify(got.body.replace('"acme"', '"acmf"'), headers)).to.throw();
      const [delivery] = await settled(hook.id, 1);
      expect(delivery).to.include({ status: 'delivered', attempts: 1, lastStatus: 200, action: 'version.create' });
      expect(headers['webhook-id']).to.equal(delivery!.id);
      expect(delivery!.history.map((h) => h.status)).to.deep.equal([200]);
    });

    it('retries a receiver that fails its first two answers; the third gets it, each attempt kept', async function () {
      suite.receiver.script.push(500, 503);
      const hook = await suite.gw.admin.site('acme').createWebhook({ url: suite.receiver.url, events: ['version.create'] });
      await suite.gw.editor.site('acme').doc('page', 'retry').save({ content: { title: 'Again' } });
      const [delivery] = await settled(hook.id, 1);
      expect(delivery).to.include({ status: 'delivered', attempts: 3, lastStatus: 200 });
      expect(delivery!.history.map((h) => h.status)).to.deep.equal([500, 503, 200]);
      expect(delivery!.history[0]!.body).to.have.length(2000); // truncated answer
      expect(new Set(suite.receiver.received.map((r) => r.headers['webhook-id'])).size).to.equal(1);
    });

    it('delivers only the actions a webhook subscribed to', async function () {
      const hook = await suite.gw.admin.site('acme').createWebhook({ url: suite.receiver.url, events: ['version.publish'] });
      const doc = suite.gw.editor.site('acme').doc('page', 'filtered');
      await doc.save({ content: { title: 'Draft' } });
      await doc.publish();
      const deliveries = await settled(hook.id, 1);
      expect(deliveries.map((d) => d.action)).to.deep.equal(['version.publish']);
      const body = JSON.parse(suite.receiver.received[0]!.body) as { type: string; data: { oldValues: object; newValues: object } };
      expect(body.type).to.equal('version.publish');
      expect(body.data.newValues).to.deep.equal({ publishedVersion: 1 });
    });

    it('marks a delivery failed after 8 attempts and disables the webhook after a run of failed deliveries', async function () {
      suite.receiver.script.push(...Array<number>(40).fill(500));
      const hook = await suite.gw.admin.site('acme').createWebhook({ url: suite.receiver.url, events: ['version.create'] });
      await suite.gw.editor.site('acme').doc('page', 'fail-1').save({ content: { title: 'x' } });
      await suite.gw.editor.site('acme').doc('page', 'fail-2').save({ content: { title: 'y' } });
      const deliveries = await settled(hook.id, 2);
      expect(deliveries.map((d) => [d.status, d.attempts])).to.deep.equal([['failed', 8], ['failed', 8]]);
      const [listed] = await suite.gw.admin.site('acme').webhooks();
      expect(listed!.disabled).to.equal(true);
      // A disabled webhook gets no new deliveries.
      await suite.gw.editor.site('acme').doc('page', 'fail-3').save({ content: { title: 'z' } });
      expect((await suite.gw.admin.site('acme').deliveries(hook.id)).items).to.have.length(2);
    });

    it('gives up on a slow receiver at the timeout and delivers on the next attempt', async function () {
      suite.receiver.delays.push(6000);
      const hook = await suite.gw.admin.site('acme').createWebhook({ url: suite.receiver.url, events: ['version.create'] });
      await suite.gw.editor.site('acme').doc('page', 'slow').save({ content: { title: 'Slow' } });
      const [delivery] = await settled(hook.id, 1);
      expect(delivery!.status).to.equal('delivered');
      expect(delivery!.history[0]!.error).to.match(/no answer within 1500 ms/);
      expect(delivery!.history.at(-1)!.status).to.equal(200);
    });

    it('redelivers on demand with the same webhook-id', async function () {
      const hook = await suite.gw.admin.site('acme').createWebhook({ url: suite.receiver.url, events: ['version.create'] });
      await suite.gw.editor.site('acme').doc('page', 'again').save({ content: { title: 'Once' } });
      const [first] = await settled(hook.id, 1);
      const again = await suite.gw.admin.site('acme').redeliver(first!.id);
      expect(again).to.include({ id: first!.id, status: 'pending', attempts: 0 });
      await suite.receiver.until((r) => r.length >= 2);
      expect(suite.receiver.received.map((r) => r.headers['webhook-id'])).to.deep.equal([first!.id, first!.id]);
      const [done] = await settled(hook.id, 1);
      expect(done!.history).to.have.length(2);
    });

    it('refuses loopback and private receivers unless VERSO_ALLOW_PRIVATE_REMOTES=1, and unknown actions, before writing', async function () {
      const site = suite.gw.admin.site('acme');
      const restore = setEnv({ VERSO_ALLOW_PRIVATE_REMOTES: undefined });
      try {
        for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://10.1.2.3/x', 'http://[::1]/x', 'http://192.168.0.4/x', 'http://169.254.169.254/latest']) {
          const err = await site.createWebhook({ url }).catch((e: unknown) => e);
          expect(err, url).to.be.instanceOf(ValidationError);
          expect((err as ValidationError).message, url).to.match(/private|loopback/);
        }
      } finally {
        restore();
      }
      for (const input of [{ url: suite.receiver.url, events: ['version.delete'] }, { url: 'ftp://example.com/x' }, { url: suite.receiver.url, secret: 'hunter2' }]) {
        expect(await site.createWebhook(input).catch((e: unknown) => e), JSON.stringify(input)).to.be.instanceOf(ValidationError);
      }
      expect(await site.webhooks()).to.deep.equal([]);
    });

    it('records webhook and key changes as events, naming the key that made them', async function () {
      const hook = await suite.gw.admin.site('acme').createWebhook({ url: suite.receiver.url });
      await suite.gw.admin.site('acme').deleteWebhook(hook.id);
      const key = await suite.gw.admin.createKey({ role: 'viewer', site: 'acme', name: 'reader' });
      await suite.gw.admin.revokeKey(key.id);
      const { items } = await suite.gw.admin.site('acme').events({ limit: 1000 });
      const tail = items.filter((e) => ['webhook.create', 'webhook.delete', 'key.create', 'key.revoke'].includes(e.action)).slice(-4);
      expect(tail.map((e) => e.action)).to.deep.equal(['webhook.create', 'webhook.delete', 'key.create', 'key.revoke']);
      const adminKeyId = (await suite.gw.store.listKeys()).find((k) => k.name === 'ops')!.id;
      for (const e of tail) expect(e.actor, e.action).to.deep.equal({ keyId: adminKeyId, name: 'ops' });
      expect(tail[2]!.data).to.deep.include({ key: key.id, role: 'viewer' });
    });
  });
}
