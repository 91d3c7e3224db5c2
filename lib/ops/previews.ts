/**
 * Preview links: 32 random bytes, stored only as a SHA-256 hash (looked up by hash, so the token
 * itself is never compared), bound to a site, a document and a version or "the current draft",
 * optionally a domain; expiry and use limit enforced atomically in one UPDATE.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeContent } from '../content.js';
import { insertEvent } from '../db/queries/events.js';
import { actorColumns } from './actor.js';
import { consumePreview, findPreview, insertPreview } from '../db/queries/previews.js';
import { NotFoundError, PreviewExpiredError, ValidationError } from '../errors/index.js';
import type { Db } from '../db/connection.js';
import type { Oid, PreviewView, VersionRef } from '../types.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { requireDocument } from './requireDocument.js';
import { findDocumentById } from '../db/queries/documents.js';
import { resolveRef } from './resolveRef.js';
import { toVersion, type DocAddr } from './toVersion.js';
import { loadSiteByRowId } from './loadSite.js';

const MAX_EXPIRY_S = 30 * 24 * 3600;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createPreview({ ctx, site, doc, ref, opts = {} }: { ctx: OpContext; site: SiteRef; doc: DocAddr; ref: VersionRef; opts?: { expiresIn?: number; maxUses?: number; domain?: string } }): Promise<{ token: string; url: string; expiresAt: string }> {
  const expiresIn = opts.expiresIn ?? 3600;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRY_S) {
    throw new ValidationError(`expiresIn must be 1-${MAX_EXPIRY_S} seconds`, { field: 'expiresIn' });
  }
  if (opts.maxUses !== undefined && (!Number.isInteger(opts.maxUses) || opts.maxUses < 1)) {
    throw new ValidationError('maxUses must be a positive integer', { field: 'maxUses' });
  }
  if (opts.domain !== undefined && !site.domains.includes(opts.domain)) {
    throw new ValidationError(`domain must be one of the site's domains (${site.domains.join(', ') || 'none'})`, { field: 'domain' });
  }
  const document = await requireDocument(ctx.knex, site, doc);
  // 'draft' stays live: the link follows the current draft as editors keep saving.
  const versionNumber = ref === 'draft' ? null : (await resolveRef(ctx.knex, site.id, document.id, ref)).number;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(ctx.clock.now() + expiresIn * 1000);
  const s = stamp(ctx);
  await ctx.knex.transaction(async (trx) => {
    await insertPreview(trx, { id: ctx.newId(), token_hash: hashToken(token), site_id: site.id, document_id: document.id, version_number: versionNumber, domain: opts.domain ?? null, locale: doc.locale, expires_at: expiresAt, max_uses: opts.maxUses ?? null, created_by: 'verso', ...s });
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: document.id, action: 'preview.create', version_number: versionNumber, data: { expiresAt: expiresAt.toISOString() }, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx) });
  });
  return { token, url: `${ctx.publicUrl.replace(/\/$/, '')}/v1/preview/${token}`, expiresAt: expiresAt.toISOString() };
}

/** Resolves a token; `site` restricts it to one site (a token of another site is not found). */
export async function resolvePreview({ ctx, token, site }: { ctx: OpContext; token: string; site?: SiteRef }): Promise<PreviewView> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw new NotFoundError('preview not found', {});
  const hash = hashToken(token);
  const row = await ctx.knex.transaction(async (trx: Db) => {
    const found = await findPreview(trx, hash);
    if (!found || (site && found.site_id !== site.id)) return undefined;
    const used = await consumePreview(trx, hash);
    if (!used) throw new PreviewExpiredError('this preview link has expired or has been used up', {});
    return used;
  });
  if (!row) throw new NotFoundError('preview not found', {});
  const s = site ?? (await loadSiteByRowId(ctx, row.site_id));
  const document = await findDocumentById(ctx.knex, s.id, row.document_id);
  if (!document) throw new NotFoundError('preview not found', {});
  const doc = { type: document.type, key: document.key, locale: document.locale };
  const version = await resolveRef(ctx.knex, s.id, document.id, row.version_number ?? 'draft');
  const bytes = await ctx.repo(s.slug).readBlob(version.blob_hash as Oid);
  return { site: s.slug, ...doc, version: toVersion(s, doc, version), content: decodeContent(bytes, document.format) };
}
