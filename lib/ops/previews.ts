/**
 * Preview links: 32 random bytes, stored only as a SHA-256 hash (looked up by hash, so the token
 * itself is never compared), bound to a site, a document and a version or "the current draft",
 * optionally a domain; expiry and use limit enforced atomically in one UPDATE. A link bound to a
 * domain opens only when the host it was opened on is that domain (the gateway passes the
 * request's host, which honours X-Forwarded-Host only when it is set to trust a proxy).
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeContent } from '../content.js';
import { insertEvent } from '../db/queries/events.js';
import { actorColumns } from './actor.js';
import { consumePreview, findPreview, insertPreview } from '../db/queries/previews.js';
import { ConflictError, ForbiddenError, NotFoundError, PreviewExpiredError, ValidationError } from '../errors/index.js';
import type { Db } from '../db/connection.js';
import type { Oid, PreviewLink, PreviewOptions, PreviewView, VersionRef } from '../types.js';
import { stamp, type OpContext, type SiteRef } from './context.js';
import { requireDocument } from './requireDocument.js';
import { findDocumentById } from '../db/queries/documents.js';
import { resolveRef } from './resolveRef.js';
import { toVersion, type DocAddr } from './toVersion.js';
import { loadSiteByRowId } from './loadSite.js';
import { checkInput } from '../schemas/check.js';
import { valueInputs } from '../schemas/inputs.js';

const MAX_EXPIRY_S = 30 * 24 * 3600;
/** preview_tokens.max_uses is a PostgreSQL integer; a million uses is past any real review. */
export const MAX_PREVIEW_USES = 1_000_000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createPreview({ ctx, site, doc, ref, opts = {} }: { ctx: OpContext; site: SiteRef; doc: DocAddr; ref: VersionRef; opts?: PreviewOptions }): Promise<PreviewLink> {
  const expiresIn = opts.expiresIn ?? 3600;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRY_S) {
    throw new ValidationError(`expiresIn must be 1-${MAX_EXPIRY_S} seconds`, { field: 'expiresIn' });
  }
  if (opts.maxUses !== undefined && (!Number.isInteger(opts.maxUses) || opts.maxUses < 1 || opts.maxUses > MAX_PREVIEW_USES)) {
    throw new ValidationError(`maxUses must be an integer from 1 to ${MAX_PREVIEW_USES}`, { field: 'maxUses', limit: MAX_PREVIEW_USES });
  }
  if (opts.domain !== undefined && !site.domains.includes(opts.domain)) {
    throw new ValidationError(`domain must be one of the site's domains (${site.domains.join(', ') || 'none'})`, { field: 'domain' });
  }
  const document = await requireDocument(ctx.knex, site, doc);
  if (document.archived_at) throw new ConflictError(`document ${doc.type}/${doc.key}/${doc.locale} is archived; save it again to preview it`, { ...doc });
  // 'draft' stays live: the link follows the current draft as editors keep saving.
  const versionNumber = ref === 'draft' ? null : (await resolveRef(ctx.knex, site.id, document.id, ref)).number;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(ctx.clock.now() + expiresIn * 1000);
  const s = stamp(ctx);
  const id = ctx.newId();
  await ctx.knex.transaction(async (trx) => {
    await insertPreview(trx, { id, token_hash: hashToken(token), site_id: site.id, document_id: document.id, version_number: versionNumber, domain: opts.domain ?? null, locale: doc.locale, expires_at: expiresAt, max_uses: opts.maxUses ?? null, created_by: 'verso', ...s });
    await insertEvent(trx, { id: ctx.newId(), site_id: site.id, document_id: document.id, action: 'preview.create', version_number: versionNumber, data: { preview: id, expiresAt: expiresAt.toISOString(), ...(opts.domain ? { domain: opts.domain } : {}) }, hlc: s.hlc_modified, node_id: ctx.nodeId, ...actorColumns(ctx) });
  });
  return { id, token, url: previewUrl(ctx.publicUrl, token, opts.domain), expiresAt: expiresAt.toISOString() };
}

/** The link: on the bound domain when there is one (same scheme as the gateway's own URL). */
function previewUrl(publicUrl: string, token: string, domain: string | undefined): string {
  const base = new URL(publicUrl);
  if (domain) {
    base.host = domain;
    base.port = '';
  }
  return `${base.toString().replace(/\/$/, '')}/v1/preview/${token}`;
}

/** A Host header's name: lower case, without the port. */
function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  return h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d+$/, '');
}

/**
 * Resolves a token; `site` restricts it to one site (a token of another site is not found);
 * `host` is where it was opened (a link bound to a domain opens only there).
 */
export async function resolvePreview({ ctx, token, site, host }: { ctx: OpContext; token: string; site?: SiteRef; host?: string }): Promise<PreviewView> {
  if (host !== undefined && typeof host !== 'string') throw new ValidationError('host must be a string', { field: 'host' });
  // A string that cannot be a token is refused as input (embedded and remote alike).
  checkInput(valueInputs.previewToken, token, { label: 'token' });
  const hash = hashToken(token);
  const row = await ctx.knex.transaction(async (trx: Db) => {
    const found = await findPreview(trx, hash);
    if (!found || (site && found.site_id !== site.id)) return undefined;
    // Checked before a use is counted: a refused open must not use the link up.
    if (found.domain && (host === undefined || hostName(host) !== found.domain)) {
      throw new ForbiddenError(`this preview link opens only on ${found.domain}`, { domain: found.domain });
    }
    const archived = await findDocumentById(trx, found.site_id, found.document_id);
    if (archived?.archived_at) throw new PreviewExpiredError('the document of this preview link has been archived', {});
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
