/**
 * The OpenAPI document as a user of it meets it (issue 13 item 8): Redocly's recommended rules
 * find nothing (offline: a local config, telemetry and update checks off), the types
 * openapi-typescript generates from it are the committed ones and compile with openapi-fetch
 * under tsc --strict, and that client calls every operation in the document against a real
 * gateway, each answer with a status the document declares for it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { expect } from 'chai';
import createClient from 'openapi-fetch';
import { openApiDocument } from '../../../gateway/createApp.js';
import { databaseTargets } from '../../helpers/databases.js';
import { run, startGitGateway, type GitGateway } from '../../e2e/git/harness.js';
import { repoRoot } from '../cli/harness.js';
import { CALLS, type CallContext } from './openapiClient/calls.js';
import { GENERATED, generateClientTypes } from './openapiClient/generate.js';
import type { paths } from './openapiClient/generated/schema.js';

const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

function exec(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: repoRoot, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out }));
  });
}

interface Operation {
  id: string;
  method: string;
  pattern: RegExp;
  statuses: Set<number>;
}

function operations(): Operation[] {
  const doc = openApiDocument();
  const ops: Operation[] = [];
  for (const [path, items] of Object.entries(doc.paths)) {
    const source = path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+');
    for (const [method, op] of Object.entries(items)) {
      ops.push({ id: op.operationId, method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), statuses: new Set(Object.keys(op.responses).map(Number)) });
    }
  }
  return ops;
}

describe('OpenAPI document: lint and a generated client', function () {
  this.timeout(180_000);

  it('passes redocly lint (recommended rules) with no errors and no warnings, offline', async () => {
    const dir = await mkdtemp(join(repoRoot, '.tmp-openapi-lint-'));
    try {
      await writeFile(join(dir, 'openapi.json'), JSON.stringify(openApiDocument(), null, 2));
      await writeFile(join(dir, 'redocly.yaml'), 'extends:\n  - recommended\ntelemetry: off\n');
      const r = await exec(bin('redocly'), ['lint', join(dir, 'openapi.json'), '--config', join(dir, 'redocly.yaml'), '--format', 'json'], {
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
      });
      const json = r.out.slice(r.out.indexOf('{'), r.out.lastIndexOf('}') + 1);
      const report = JSON.parse(json) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> };
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).to.deep.equal([]);
      expect(report.totals).to.include({ errors: 0, warnings: 0 });
      expect(r.code).to.equal(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('generates the committed client types, which compile with openapi-fetch under tsc --strict', async () => {
    expect(await generateClientTypes(), 'stale: run npx tsx test/integration/gateway/openapiClient/generate.ts').to.equal(await readFile(GENERATED, 'utf8'));
    const calls = join(repoRoot, 'test/integration/gateway/openapiClient/calls.ts');
    const r = await exec(bin('tsc'), ['--noEmit', '--strict', '--noUncheckedIndexedAccess', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', calls]);
    expect(r.out).to.equal('');
    expect(r.code).to.equal(0);
  });

  it('has an entry in the call table for every operation of the document', () => {
    expect(operations().map((o) => o.id).filter((id) => !(id in CALLS))).to.deep.equal([]);
    expect(Object.keys(CALLS).filter((id) => !operations().some((o) => o.id === id))).to.deep.equal([]);
  });

  for (const target of databaseTargets()) {
    describe(`against a real gateway (${target})`, () => {
      let g: GitGateway;
      before(async () => {
        g = await startGitGateway(target);
      });
      after(async () => g?.stop());

      it('the generated client calls every operation, and each answer is one the document declares', async () => {
        const seen: Array<{ method: string; path: string; status: number }> = [];
        // The path as it arrived: Express keeps it in originalUrl (it rewrites req.url inside mounted routers).
        const record = (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) =>
          res.on('finish', () => seen.push({ method: req.method ?? '', path: (req.originalUrl ?? req.url ?? '').split('?')[0]!, status: res.statusCode }));
        g.server.server.on('request', record);
        const ctx: CallContext = {
          api: createClient<paths>({ baseUrl: g.url, headers: { authorization: `Bearer ${g.keys.admin}` } }),
          adminKey: g.keys.admin,
          gitRemote: (site) => g.remote(site, g.keys.admin),
          git: (args) => run(g.work, args, { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com' }),
          workDir: g.work,
          state: new Map(),
        };
        for (const [id, call] of Object.entries(CALLS)) {
          try {
            await call(ctx);
          } catch (err) {
            throw new Error(`${id}: ${(err as Error).message}`);
          }
        }
        g.server.server.off('request', record);
        const missing: string[] = [];
        const undeclared: string[] = [];
        for (const op of operations()) {
          const hits = seen.filter((s) => s.method === op.method && op.pattern.test(s.path));
          if (!hits.length) missing.push(op.id);
          for (const h of hits) if (!op.statuses.has(h.status)) undeclared.push(`${op.id} answered ${h.status}`);
        }
        expect(missing, 'operations no call reached').to.deep.equal([]);
        expect(undeclared, 'answers the document does not declare').to.deep.equal([]);
      });

      it("publishes the limits the server enforces, exactly at the edge", async () => {
        const doc = openApiDocument();
        const api = createClient<paths>({ baseUrl: g.url, headers: { authorization: `Bearer ${g.keys.admin}` } });
        const path = { site: 'acme', type: 'page', key: 'limits', locale: 'en' };
        await api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions', { params: { path }, body: { content: { title: 'Limits' } } });
        const comments = '/v1/sites/{site}/docs/{type}/{key}/{locale}/versions/{ref}/comments' as const;
        const commentBody = (doc.paths[comments]!.post!.requestBody!.content['application/json']!.schema.properties as Record<string, { maxLength: number }>).body!;
        const at = await api.POST(comments, { params: { path: { ...path, ref: '1' } }, body: { body: 'x'.repeat(commentBody.maxLength), author: 'Ada' } });
        const over = await api.POST(comments, { params: { path: { ...path, ref: '1' } }, body: { body: 'x'.repeat(commentBody.maxLength + 1), author: 'Ada' } });
        expect([commentBody.maxLength, at.response.status, over.response.status]).to.deep.equal([20000, 201, 400]);

        const previews = '/v1/sites/{site}/docs/{type}/{key}/{locale}/versions/{ref}/previews' as const;
        const expiresIn = (doc.paths[previews]!.post!.requestBody!.content['application/json']!.schema.properties as Record<string, { maximum: number }>).expiresIn!;
        const longest = await api.POST(previews, { params: { path: { ...path, ref: '1' } }, body: { expiresIn: expiresIn.maximum } });
        const tooLong = await api.POST(previews, { params: { path: { ...path, ref: '1' } }, body: { expiresIn: expiresIn.maximum + 1 } });
        expect([longest.response.status, tooLong.response.status]).to.deep.equal([201, 400]);

        const bad = await api.POST('/v1/sites/{site}/docs/{type}/{key}/{locale}/versions', { params: { path }, body: { content: { title: 'x' }, author: 'Ada <script>' } });
        expect(bad.response.status).to.equal(400);
      });
    });
  }
});
