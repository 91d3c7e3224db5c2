/** The pages' static assets with content hashes, so they can be cached for good. */
import { createHash } from 'node:crypto';
import { appCss } from './appCss.js';
import { appJs } from './appJs.js';

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export interface Asset {
  body: string;
  type: string;
  hash: string;
}

export const assets: Record<string, Asset> = {
  'app.css': { body: appCss, type: 'text/css; charset=utf-8', hash: hashOf(appCss) },
  'app.js': { body: appJs, type: 'text/javascript; charset=utf-8', hash: hashOf(appJs) },
};

export const assetHashes = { css: hashOf(appCss), js: hashOf(appJs) };
