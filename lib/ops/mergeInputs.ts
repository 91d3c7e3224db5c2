/** The options of SiteHandle.merge, checked before anything is read or written. */
import { ValidationError } from '../errors/index.js';
import type { ConflictPolicy, MergeOptions, MergeResolution } from '../types.js';
import { parseEnum } from './inputs.js';
import { POLICIES } from './updateSite.js';

const FIELDS = new Set(['into', 'message', 'author', 'policy', 'resolutions', 'dryRun']);
const RESOLUTION_FIELDS = new Set(['doc', 'path', 'take', 'value']);
const MAX_RESOLUTIONS = 1000;

export interface ParsedMergeOptions {
  policy?: ConflictPolicy;
  resolutions: MergeResolution[];
  dryRun: boolean;
}

function parseResolution(r: unknown, i: number): MergeResolution {
  const field = `resolutions[${i}]`;
  if (!r || typeof r !== 'object' || Array.isArray(r)) throw new ValidationError(`${field} must be { doc, path, take | value }`, { field });
  const o = r as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!RESOLUTION_FIELDS.has(k)) throw new ValidationError(`${field} has an unknown field ${JSON.stringify(k)}`, { field });
  if (typeof o.doc !== 'string' || !o.doc || o.doc.length > 300) throw new ValidationError(`${field}.doc must name a document as type/key/locale`, { field: `${field}.doc` });
  if (typeof o.path !== 'string' || o.path.length > 2000) throw new ValidationError(`${field}.path must be a conflict path`, { field: `${field}.path` });
  const hasValue = 'value' in o && o.value !== undefined;
  if ((o.take === undefined) === !hasValue) throw new ValidationError(`${field} needs exactly one of take and value`, { field });
  if (o.take !== undefined) return { doc: o.doc, path: o.path, take: parseEnum(o.take, ['ours', 'theirs', 'base'] as const, `${field}.take`, 'ours') };
  return { doc: o.doc, path: o.path, value: o.value };
}

export function parseMergeOptions(opts: MergeOptions | undefined): ParsedMergeOptions {
  if (opts === undefined) return { resolutions: [], dryRun: false };
  if (!opts || typeof opts !== 'object' || Array.isArray(opts)) throw new ValidationError('merge options must be an object', { field: 'opts' });
  for (const k of Object.keys(opts)) if (!FIELDS.has(k)) throw new ValidationError(`unknown merge option ${JSON.stringify(k)}`, { field: k });
  if (opts.dryRun !== undefined && typeof opts.dryRun !== 'boolean') throw new ValidationError('dryRun must be a boolean', { field: 'dryRun' });
  const raw = opts.resolutions ?? [];
  if (!Array.isArray(raw) || raw.length > MAX_RESOLUTIONS) throw new ValidationError(`resolutions must be a list of at most ${MAX_RESOLUTIONS}`, { field: 'resolutions' });
  const resolutions = raw.map(parseResolution);
  const seen = new Set<string>();
  for (const r of resolutions) {
    const k = `${r.doc}\n${r.path}`;
    if (seen.has(k)) throw new ValidationError(`two resolutions for ${r.doc} ${r.path}`, { field: 'resolutions', doc: r.doc, path: r.path });
    seen.add(k);
  }
  return {
    policy: opts.policy === undefined ? undefined : parseEnum(opts.policy, POLICIES, 'policy', 'manual'),
    resolutions,
    dryRun: opts.dryRun ?? false,
  };
}
