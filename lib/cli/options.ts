/**
 * Options every command accepts, parsed in one place, and the store they select:
 * `--remote URL --api-key KEY` talks to a gateway; otherwise the embedded store in `--data-dir`
 * (PGlite) or on `--database-url` (PostgreSQL). Each has an environment variable.
 */
import { Option, type Command } from 'commander';
import { ValidationError } from '../errors/index.js';
import { parseVersionRef } from '../schemas/calls.js';
import type { VersionRef } from '../types.js';

export interface GlobalOptions {
  json?: boolean;
  dataDir?: string;
  databaseUrl?: string;
  remote?: string;
  apiKey?: string;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option('--json', 'print one JSON document on stdout instead of text')
    .addOption(new Option('--data-dir <dir>', 'embedded store directory (default ./.verso)').env('VERSO_DATA_DIR'))
    .addOption(new Option('--database-url <url>', 'index in this PostgreSQL database instead of embedded PGlite').env('DATABASE_URL'))
    .addOption(new Option('--remote <url>', 'talk to a verso gateway instead of a local store').env('VERSO_REMOTE'))
    .addOption(new Option('--api-key <key>', 'API key for --remote (prefer the environment variable)').env('VERSO_API_KEY'));
}

export function globalsOf(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

export type StoreChoice =
  | { kind: 'remote'; baseUrl: string; apiKey: string }
  | { kind: 'embedded'; dataDir?: string; databaseUrl?: string };

/**
 * Decides which store the options name. A remote set only in the environment yields to a data
 * dir or database URL given on the command line; both on the command line is a usage error.
 * @throws ValidationError when --remote lacks an API key or conflicts with local options.
 */
export function chooseStore(cmd: Command): StoreChoice {
  const g = globalsOf(cmd);
  const source = (name: string) => cmd.getOptionValueSourceWithGlobals(name);
  const localOnCli = source('dataDir') === 'cli' || source('databaseUrl') === 'cli';
  const useRemote = g.remote !== undefined && g.remote !== '' && !(localOnCli && source('remote') !== 'cli');
  if (g.remote && source('remote') === 'cli' && localOnCli) {
    throw new ValidationError('give either --remote or --data-dir/--database-url, not both', { field: 'remote' });
  }
  if (!useRemote) {
    return { kind: 'embedded', ...(g.dataDir ? { dataDir: g.dataDir } : {}), ...(g.databaseUrl ? { databaseUrl: g.databaseUrl } : {}) };
  }
  let url: URL;
  try {
    url = new URL(g.remote!);
  } catch {
    throw new ValidationError(`--remote must be a URL such as http://localhost:4000, got ${JSON.stringify(g.remote)}`, { field: 'remote' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError('--remote must be an http or https URL', { field: 'remote' });
  }
  if (!g.apiKey) throw new ValidationError('--remote needs an API key: --api-key KEY or VERSO_API_KEY', { field: 'apiKey' });
  return { kind: 'remote', baseUrl: url.toString().replace(/\/+$/, ''), apiKey: g.apiKey };
}

/** Parses an integer option within bounds. */
export function intOption(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^-?\d+$/.test(value)) throw new ValidationError(`${name} must be an integer, got ${JSON.stringify(value)}`, { field: name });
    const n = Number(value);
    if (n < min || n > max) throw new ValidationError(`${name} must be from ${min} to ${max}, got ${n}`, { field: name });
    return n;
  };
}

/** Splits a comma list ("en,fr"), dropping blanks. */
export function listOption(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A document address on the command line: TYPE/KEY or TYPE/KEY/LOCALE. */
export interface DocAddress {
  type: string;
  key: string;
  locale?: string;
}

/**
 * Splits TYPE/KEY[/LOCALE]; the store validates each part as a slug or locale.
 * @throws ValidationError when the shape is wrong.
 */
export function parseDocAddress(value: string): DocAddress {
  const parts = value.split('/');
  if ((parts.length !== 2 && parts.length !== 3) || parts.some((p) => p === '')) {
    throw new ValidationError(`a document is TYPE/KEY or TYPE/KEY/LOCALE (e.g. page/home/en), got ${JSON.stringify(value)}`, { field: 'document' });
  }
  const [type, key, locale] = parts as [string, string, string | undefined];
  return locale === undefined ? { type, key } : { type, key, locale };
}

export function formatDocAddress(doc: { type: string; key: string; locale?: string }): string {
  return [doc.type, doc.key, doc.locale].filter(Boolean).join('/');
}

/** A ref argument, read the way the store reads one (a short run of digits is a version number). */
export function parseRef(value: string): VersionRef {
  return parseVersionRef(value);
}
