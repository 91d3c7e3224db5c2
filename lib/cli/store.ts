/**
 * Opens the store a command's options select and closes it when the command is done, failed
 * or not. The embedded store's modules (PGlite, knex, isomorphic-git) are loaded only when a
 * command needs them, so `--remote` commands and `--help` start fast.
 */
import type { Command } from 'commander';
import { rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConflictError, ValidationError } from '../errors/index.js';
import { findLocalServer, type LocalServer } from '../ops/localServer.js';
import type { OpenStoreOptions } from '../sdk/openStore.js';
import type { EmbeddedStore, Store } from '../types.js';
import { chooseStore } from './options.js';

export async function openEmbedded(cmd: Command, what: string, extra: Omit<OpenStoreOptions, 'dataDir' | 'databaseUrl'> = {}): Promise<EmbeddedStore> {
  const choice = chooseStore(cmd);
  if (choice.kind === 'remote') {
    throw new ValidationError(`${what} works on the embedded store only; drop --remote (and VERSO_REMOTE) and give --data-dir or --database-url`, { field: 'remote' });
  }
  const server = await serverOwning(choice);
  if (server) {
    throw new ConflictError(
      `${what} needs the data dir to itself, and verso serve (pid ${server.pid}, ${server.url}) has it open: stop the server (Ctrl+C), then run this again`,
      { pid: server.pid, url: server.url },
    );
  }
  const { openStore } = await import('../sdk/openStore.js');
  return openStore({ ...extra, ...(choice.dataDir ? { dataDir: choice.dataDir } : {}), ...(choice.databaseUrl ? { databaseUrl: choice.databaseUrl } : {}) });
}

export async function openAny(cmd: Command): Promise<Store> {
  const choice = chooseStore(cmd);
  if (choice.kind === 'remote') {
    const { connect } = await import('../sdk/remote/index.js');
    return connect({ baseUrl: choice.baseUrl, apiKey: choice.apiKey });
  }
  // PGlite is one process: while `verso serve` owns the data dir, talk to it instead.
  const server = await serverOwning(choice);
  if (server) {
    const { connect } = await import('../sdk/remote/index.js');
    return connect({ baseUrl: server.url, apiKey: server.apiKey });
  }
  return openEmbedded(cmd, 'this command');
}

/** The running server on the embedded data dir chosen, if any (PostgreSQL is shared, so none). */
async function serverOwning(choice: { dataDir?: string; databaseUrl?: string }): Promise<LocalServer | undefined> {
  if (choice.databaseUrl) return undefined;
  return findLocalServer(resolve(choice.dataDir ?? '.verso'));
}

/** Runs `fn` with the selected store (embedded or remote) and closes it afterwards. */
export async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>): Promise<T> {
  const discard = await discardIfFresh(cmd);
  return using(await openAny(cmd).catch(failAfter(discard)), fn, discard);
}

/** Runs `fn` with the embedded store; `what` names the command in the --remote refusal. */
export async function withEmbeddedStore<T>(cmd: Command, what: string, fn: (store: EmbeddedStore) => Promise<T>, extra?: Omit<OpenStoreOptions, 'dataDir' | 'databaseUrl'>): Promise<T> {
  const discard = await discardIfFresh(cmd);
  return using(await openEmbedded(cmd, what, extra).catch(failAfter(discard)), fn, discard);
}

/**
 * A command that fails must leave nothing behind (a refused `restore`, a `save` to a site that
 * does not exist): when the embedded data dir did not exist before the command, the returned
 * function removes what opening the store created in it. With a database URL that is the
 * repositories' directory; the schema the store migrated stays (a refusal writes no rows).
 */
export async function discardIfFresh(cmd: Command): Promise<() => Promise<void>> {
  const choice = chooseStore(cmd);
  if (choice.kind !== 'embedded') return async () => undefined;
  const dir = resolve(choice.dataDir ?? '.verso');
  const existed = await stat(dir).then(
    () => true,
    () => false,
  );
  return existed ? async () => undefined : () => rm(dir, { recursive: true, force: true });
}

function failAfter(discard: () => Promise<void>): (err: unknown) => Promise<never> {
  return async (err) => {
    await discard().catch(() => undefined);
    throw err;
  };
}

async function using<S extends Store, T>(store: S, fn: (store: S) => Promise<T>, discard: () => Promise<void>): Promise<T> {
  let result: T;
  try {
    result = await fn(store);
  } catch (err) {
    // The command's own failure is the one to report; a close failure after it is noise.
    await store.close().catch(() => undefined);
    await discard().catch(() => undefined);
    throw err;
  }
  await store.close();
  return result;
}
