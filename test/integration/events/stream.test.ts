/**
 * The change feed over HTTP as Server-Sent Events, and `verso events --follow` and the other
 * CLI commands of issue 11 against a real gateway (the CLI in a child process, --remote).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../../gateway/serve.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import type { ChangeEvent, EmbeddedStore } from '../../../lib/types.js';
import { cleanEnv, repoRoot, verso } from '../cli/harness.js';
import { databaseTargets, freshDatabase, type TestDatabase } from '../../helpers/databases.js';

interface SseEvent {
  id: string;
  event: string;
  data: ChangeEvent;
}

/** Opens an event stream and collects parsed events until `stop()`. */
async function openStream(url: string, key: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
          if (fields.data) events.push({ id: fields.id!, event: fields.event!, data: JSON.parse(fields.data) as ChangeEvent });
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return {
    res,
    events,
    async until(n: number) {
      const started = Date.now();
      while (events.length < n) {
        if (Date.now() - started > 20_000) throw new Error(`stream: ${events.length} of ${n} events`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      controller.abort();
      await reading;
    },
  };
}

for (const target of databaseTargets()) {
  describe(`event stream and CLI on ${target}`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let store: EmbeddedStore;
    let server: RunningServer;
    let key: string;

    before(async function () {
      db = await freshDatabase(target);
      store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
      key = (await store.createKey({ role: 'admin', name: 'stream-admin' })).key;
      await store.createSite({ id: 'acme', name: 'Acme' });
    });
    after(async function () {
      await server?.close();
      await store?.close();
      await db?.cleanup();
    });

    it('streams events with Accept: text/event-stream and resumes after Last-Event-ID', async function () {
      const url = `${server.url}/v1/sites/acme/events`;
      const stream = await openStream(url, key);
      expect(stream.res.headers.get('content-type')).to.match(/^text\/event-stream/);
      await stream.until(1); // site.create
      await store.site('acme').doc('page', 'live').save({ content: { title: 'Live' } });
      await stream.until(2);
      expect(stream.events.map((e) => e.event)).to.deep.equal(['site.create', 'version.create']);
      expect(stream.events[1]!.data).to.include({ key: 'live', id: stream.events[1]!.id });
      await stream.stop();

      await store.site('acme').doc('page', 'later').save({ content: { title: 'Later' } });
      const resumed = await openStream(url, key, { 'last-event-id': stream.events[1]!.id });
      await resumed.until(1);
      expect(resumed.events.map((e) => e.data.key)).to.deep.equal(['later']);
      await resumed.stop();
      // Without the header the same route still answers JSON pages.
      const page = (await (await fetch(url, { headers: { authorization: `Bearer ${key}` } })).json()) as { items: ChangeEvent[] };
      expect(page.items.map((e) => e.action)).to.deep.equal(['site.create', 'version.create', 'version.create']);
    });

    it('follows the feed with `verso events --follow --json`, one JSON line per event', async function () {
      const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'events', 'acme', '--follow', '--json', '--interval', '100', '--remote', server.url, '--api-key', key], { cwd: repoRoot, env: cleanEnv() });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      const lines = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ChangeEvent);
      const wait = async (pred: () => boolean) => {
        const started = Date.now();
        while (!pred()) {
          if (Date.now() - started > 30_000) throw new Error(`follow printed: ${out}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await wait(() => lines().length >= 3);
      await store.site('acme').doc('page', 'followed').save({ content: { title: 'Followed' } });
      await wait(() => lines().some((e) => e.key === 'followed'));
      child.kill('SIGINT');
      expect(await exited).to.equal(0);
      expect(lines().map((e) => e.action).slice(0, 4)).to.deep.equal(['site.create', 'version.create', 'version.create', 'version.create']);
    });

    it('adds, lists, disables, enables and removes a webhook, and searches, with the CLI (--json)', async function () {
      const remote = ['--remote', server.url, '--api-key', key, '--json'];
      {
        const added = await verso(['webhook', 'add', 'acme', 'https://hooks.example.com/verso', '--events', 'version.publish,version.unpublish', ...remote]);
        expect(added.code, added.stderr).to.equal(0);
        const hook = JSON.parse(added.stdout) as { id: string; secret: string; events: string[] };
        expect(hook.secret).to.match(/^whsec_/);
        expect(hook.events).to.deep.equal(['version.publish', 'version.unpublish']);
        const listed = JSON.parse((await verso(['webhook', 'list', 'acme', ...remote])).stdout) as { items: Array<{ id: string; secret?: string }> };
        expect(listed.items.map((w) => w.id)).to.deep.equal([hook.id]);
        expect(listed.items[0]!.secret).to.equal(undefined);
        const disabled = await verso(['webhook', 'disable', 'acme', hook.id, ...remote]);
        expect(disabled.code, disabled.stderr).to.equal(0);
        expect((JSON.parse(disabled.stdout) as { disabled: boolean }).disabled).to.equal(true);
        expect((await store.site('acme').webhooks())[0]!.disabled).to.equal(true);
        const enabled = await verso(['webhook', 'enable', 'acme', hook.id, ...remote]);
        expect(enabled.code, enabled.stderr).to.equal(0);
        expect((await store.site('acme').webhooks())[0]!.disabled).to.equal(false);
        const unknown = await verso(['webhook', 'enable', 'acme', '01ARZ3NDEKTSV4RRFFQ69G5FAV', ...remote]);
        expect(unknown.code).to.not.equal(0);
        expect(unknown.stdout + unknown.stderr).to.include('not_found');
        expect((await verso(['webhook', 'remove', 'acme', hook.id, ...remote])).code).to.equal(0);
        expect(await store.site('acme').webhooks()).to.deep.equal([]);
        const bad = await verso(['webhook', 'add', 'acme', 'http://127.0.0.1:9/x', ...remote]);
        expect(bad.code).to.not.equal(0);
        expect(bad.stdout + bad.stderr).to.match(/invalid_input|private|loopback/);

        const found = await verso(['search', 'acme', 'followed', ...remote]);
        expect(found.code, found.stderr).to.equal(0);
        const hits = JSON.parse(found.stdout) as { items: Array<{ doc: { key: string }; snippet: string }> };
        expect(hits.items.map((h) => h.doc.key)).to.deep.equal(['followed']);
        expect(hits.items[0]!.snippet).to.include('<mark>Followed</mark>');
      }
    });
  });
}
