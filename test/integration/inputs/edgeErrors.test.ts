/**
 * Issue 8 item 10: errors at the edges. A constraint the database enforces (two createSite
 * racing for one id) is a ConflictError, not a 500; a database that stops accepting
 * connections is UnavailableError (`unavailable`, 503 with Retry-After); and every error code
 * comes from one table that the gateway, the remote client, errorFromJSON and the OpenAPI
 * document all read.
 */
import { expect } from 'chai';
import { writeFile, rm } from 'node:fs/promises';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { startServer } from '../../../gateway/serve.js';
import { STATUS_BY_CODE } from '../../../gateway/errors.js';
import { buildOpenApi } from '../../../gateway/openapi.js';
import { apiRoutes } from '../../../gateway/createApp.js';
import {
  ConflictError,
  ERROR_CODES,
  ERROR_CODE_NAMES,
  RefLockedError,
  UnavailableError,
  UnavailableError as PublicUnavailableError,
  VersoError,
  codeOfStatus,
  errorFromJSON,
} from '../../../lib/index.js';
import { connect } from '../../../lib/sdk/remote/index.js';
import { translateDbError } from '../../../lib/db/pgErrors.js';
import { openStore } from '../../../lib/sdk/openStore.js';
import { baseDatabaseUrl, databaseTargets, freshDatabase } from '../../helpers/databases.js';
import { openStack, type Stack } from '../../helpers/stack.js';

async function settle<T>(p: Promise<T>): Promise<{ ok: T } | { err: unknown }> {
  try {
    return { ok: await p };
  } catch (err) {
    return { err };
  }
}

for (const target of databaseTargets()) {
  describe(`inputs: constraint violations become conflicts (${target})`, function () {
    this.timeout(120_000);
    let s: Stack;
    before(async () => {
      s = await openStack(target);
    });
    after(async () => s && (await s.cleanup()));

    it('two concurrent createSite with one id: one succeeds, the other is a ConflictError', async () => {
      for (let round = 0; round < 4; round++) {
        const id = `race-${round}`;
        const results = await Promise.all([0, 1, 2].map((i) => settle(s.embedded.createSite({ id, name: `Race ${i}` }))));
        const ok = results.filter((r) => 'ok' in r);
        const failed = results.filter((r): r is { err: unknown } => 'err' in r);
        expect(ok, `round ${round}`).to.have.length(1);
        for (const f of failed) {
          expect(f.err, String(f.err)).to.be.instanceOf(ConflictError);
          expect((f.err as ConflictError).code).to.equal('conflict');
        }
      }
      // Over HTTP: 201 once, 409 for the rest, never 500.
      const answers = await Promise.all([0, 1, 2].map(() => s.http('POST', '/v1/sites', { body: { id: 'race-http', name: 'Race' } })));
      expect(answers.map((a) => a.status).sort()).to.deep.equal([201, 409, 409]);
      expect((await s.embedded.listSites()).filter((x) => x.id.startsWith('race')).length).to.equal(5);
    });

    it('a ref another writer keeps locked answers 503 unavailable (ref_locked) with Retry-After', async () => {
      await s.embedded.createSite({ id: 'locked', name: 'Locked' });
      await s.embedded.site('locked').doc('post', 'x', 'en').save({ content: { v: 1 } });
      const lock = join(s.embedded.repoDir('locked'), 'refs', 'heads', 'main.lock');
      // What a git process in the middle of an update leaves: it is alive, so the lock is not stale.
      await writeFile(lock, '');
      try {
        const res = await s.http('POST', '/v1/sites/locked/docs/post/x/en/versions', { body: { content: { v: 2 } } });
        expect(res.status, JSON.stringify(res.body)).to.equal(503);
        expect(res.body.error.code).to.equal('unavailable');
        expect(res.body.error.details.reason).to.equal('ref_locked');
        expect(Number(res.headers.get('retry-after'))).to.be.at.least(1);
      } finally {
        await rm(lock, { force: true });
      }
      expect((await s.embedded.site('locked').doc('post', 'x', 'en').log()).items.map((v) => v.number)).to.deep.equal([1]);
    });
  });
}

/** A TCP proxy to PostgreSQL that can stop accepting connections and cut the open ones. */
async function pgProxy(): Promise<{ url: (database: string) => string; cut(): Promise<void> }> {
  const upstream = new URL(baseDatabaseUrl());
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const up = tcpConnect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(client).add(up);
    client.pipe(up).pipe(client);
    const drop = () => {
      client.destroy();
      up.destroy();
    };
    client.on('error', drop).on('close', drop);
    up.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: (database) => {
      const u = new URL(database);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const sock of sockets) sock.destroy();
      await closed;
    },
  };
}

// The database server itself going away is a PostgreSQL situation (PGlite lives in-process).
describe('inputs: an unreachable database is unavailable, 503 with Retry-After (postgres)', function () {
  this.timeout(120_000);
  if (!databaseTargets().includes('postgres')) return;

  it('answers unavailable, embedded and over HTTP, when PostgreSQL stops accepting connections', async () => {
    const db = await freshDatabase('postgres');
    const proxy = await pgProxy();
    const store = await openStore({ dataDir: db.dataDir, databaseUrl: proxy.url(db.databaseUrl!) });
    const admin = await store.createKey({ role: 'admin', name: 'down' });
    await store.createSite({ id: 'down', name: 'Down' });
    const server = await startServer({ store, port: 0, logger: pino({ level: 'silent' }), rateLimit: false });
    try {
      await proxy.cut();
      const embedded = await settle(store.site('down').doc('post', 'x', 'en').save({ content: { a: 1 } }));
      expect('err' in embedded && embedded.err, String('err' in embedded && embedded.err)).to.be.instanceOf(UnavailableError);
      expect((embedded as { err: UnavailableError }).err.code).to.equal('unavailable');
      expect((embedded as { err: UnavailableError }).err.data).to.include({ reason: 'database_unreachable' });

      // A key the gateway has not seen yet: authentication itself needs the database.
      const res = await fetch(`${server.url}/v1/sites/down/docs`, { headers: { authorization: `Bearer ${admin.key}` } });
      expect(res.status).to.equal(503);
      expect(Number(res.headers.get('retry-after'))).to.be.at.least(1);
      const body = (await res.json()) as { error: { code: string; details: Record<string, unknown> } };
      expect(body.error.code).to.equal('unavailable');
      expect(JSON.stringify(body)).to.not.match(/ECONNREFUSED|127\.0\.0\.1|postgres/);

      const remote = await settle(connect({ baseUrl: server.url, apiKey: admin.key }).listSites());
      expect('err' in remote && remote.err).to.be.instanceOf(UnavailableError);
    } finally {
      await server.close();
      await store.close();
      await db.cleanup();
    }
  });

  it('refuses to open a store on a closed port with UnavailableError', async () => {
    const db = await freshDatabase('postgres');
    const proxy = await pgProxy();
    const url = proxy.url(db.databaseUrl!);
    await proxy.cut();
    try {
      const opened = await settle(openStore({ dataDir: db.dataDir, databaseUrl: url }));
      expect('err' in opened && opened.err, String('err' in opened && opened.err)).to.be.instanceOf(UnavailableError);
    } finally {
      await db.cleanup();
    }
  });
});

describe('inputs: one table of error codes', () => {
  it('is what the gateway, the remote client, errorFromJSON and the OpenAPI enum read', () => {
    expect(Object.keys(STATUS_BY_CODE)).to.deep.equal([...ERROR_CODE_NAMES]);
    const doc = buildOpenApi(apiRoutes) as unknown as {
      components: { schemas: { Error: { properties: { error: { properties: { code: { enum: string[] } } } } } }; responses: Record<string, unknown> };
    };
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).to.deep.equal([...ERROR_CODE_NAMES]);
    for (const code of ERROR_CODE_NAMES) {
      const row = ERROR_CODES[code];
      expect(STATUS_BY_CODE[code], code).to.equal(row.status);
      expect(codeOfStatus(row.status), code).to.equal(code);
      // The document lists only the responses some route uses (redocly refuses unused ones):
      // a code no route answers yet (not_implemented) has none.
      if (JSON.stringify((doc as unknown as { paths: unknown }).paths).includes(`/responses/${row.response}"`)) {
        expect(doc.components.responses, code).to.have.property(row.response);
      }
      const back = errorFromJSON({ code, message: 'm', details: {} });
      expect(back, code).to.be.instanceOf(row.class);
      expect(back.code).to.equal(code);
    }
    expect(ERROR_CODE_NAMES).to.include('unavailable');
    expect(STATUS_BY_CODE.unavailable).to.equal(503);
    expect(PublicUnavailableError).to.equal(UnavailableError);
  });

  it('makes a locked ref an UnavailableError with reason ref_locked, embedded and remote', () => {
    const locked = new RefLockedError('refs/heads/main is locked', { ref: 'refs/heads/main' });
    expect(locked).to.be.instanceOf(UnavailableError);
    expect(locked.code).to.equal('unavailable');
    expect(locked.data).to.include({ reason: 'ref_locked' });
    expect(STATUS_BY_CODE[locked.code]).to.equal(503);
    const back = errorFromJSON(JSON.parse(JSON.stringify(locked.toJSON())));
    expect(back).to.be.instanceOf(RefLockedError);
    expect(errorFromJSON({ code: 'ref_locked', message: 'from an older server', details: {} })).to.be.instanceOf(RefLockedError);
    expect(errorFromJSON({ code: 'no_such_code', message: 'x', details: {} })).to.be.instanceOf(VersoError);
  });
});

describe('inputs: lower-layer errors translated where they enter', () => {
  // Shaped as pg and Node raise them (code on the error object); the mapping is ours.
  const raised = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });
  it('maps SQLSTATEs and errnos to conflict, invalid_input and unavailable, keeping the cause', () => {
    const cases: Array<[Error, string, string | undefined]> = [
      [raised('23505'), 'conflict', 'unique_violation'],
      [raised('23514'), 'invalid_input', 'database_refused'],
      [raised('22P02'), 'invalid_input', 'database_refused'],
      [raised('22021'), 'invalid_input', 'database_refused'],
      [raised('22P05'), 'invalid_input', 'database_refused'],
      [raised('ECONNREFUSED'), 'unavailable', 'database_unreachable'],
      [raised('ENOSPC'), 'unavailable', 'disk_full'],
      [raised('53100'), 'unavailable', 'disk_full'],
      [raised('57P01'), 'unavailable', 'database_unavailable'],
      [raised('08006'), 'unavailable', 'database_unavailable'],
      [new Error('Connection terminated unexpectedly'), 'unavailable', 'database_unreachable'],
    ];
    for (const [err, code, reason] of cases) {
      const out = translateDbError(err);
      expect(out?.code, String(err)).to.equal(code);
      expect(out?.data.reason).to.equal(reason);
      expect(out?.cause).to.equal(err);
      expect(out?.message).to.not.equal(err.message);
    }
    expect(translateDbError(new TypeError('a bug'))).to.equal(undefined);
  });
});
