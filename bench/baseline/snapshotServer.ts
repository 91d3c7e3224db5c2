/**
 * The HTTP baseline: what a user would otherwise put in front of the snapshot table — a bare
 * Express 5 app with one query per route (the history page, one row with its jsonb content) and
 * res.json. No authentication, logging, rate limiting, security headers or input schema, so
 * the gap to the gateway is everything verso adds around the same reads.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Knex } from 'knex';
import { snapshotHistoryPage, snapshotShow } from './snapshots.js';

export interface SnapshotServer {
  url: string;
  close(): Promise<void>;
}

const PAGE = 50;

/** Serves `GET /snapshots/:site/:document/versions` and `…/versions/:number` on a free port. */
export async function startSnapshotServer(knex: Knex): Promise<SnapshotServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // as the gateway: no hash of every answer
  app.get('/snapshots/:site/:document/versions', async (req, res) => {
    const rows = await snapshotHistoryPage(knex, { siteId: req.params.site, documentId: req.params.document }, PAGE);
    res.json({ items: rows.slice(0, PAGE), ...(rows.length > PAGE ? { next: String(PAGE) } : {}) });
  });
  app.get('/snapshots/:site/:document/versions/:number', async (req, res) => {
    const row = await snapshotShow(knex, { siteId: req.params.site, documentId: req.params.document }, Number(req.params.number));
    if (row === undefined) res.status(404).json({ error: 'not found' });
    else res.json(row);
  });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Graceful, as the gateway's close: an answer still in flight must not meet a closed pool.
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
