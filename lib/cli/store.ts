/**
 * Opens the store a command's options select and closes it when the command is done, failed
 * or not. The embedded store's modules (PGlite, knex, isomorphic-git) are loaded only when a
 * command needs them, so `--remote` commands and `--help` start fast.
 */
import type { Command } from 'commander';
import { ValidationError } from '../errors/index.js';
import type { OpenStoreOptions } from '../sdk/openStore.js';
import type { EmbeddedStore, Store } from '../types.js';
import { chooseStore } from './options.js';

export async function openEmbedded(cmd: Command, what: string, extra: Omit<OpenStoreOptions, 'dataDir' | 'databaseUrl'> = {}): Promise<EmbeddedStore> {
  const choice = chooseStore(cmd);
  if (choice.kind === 'remote') {
    throw new ValidationError(`${what} works on the embedded store only; drop --remote (and VERSO_REMOTE) and give --data-dir or --database-url`, { field: 'remote' });
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
  return openEmbedded(cmd, 'this command');
}

/** Runs `fn` with the selected store (embedded or remote) and closes it afterwards. */
export async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>): Promise<T> {
  return using(await openAny(cmd), fn);
}

/** Runs `fn` with the embedded store; `what` names the command in the --remote refusal. */
export async function withEmbeddedStore<T>(cmd: Command, what: string, fn: (store: EmbeddedStore) => Promise<T>, extra?: Omit<OpenStoreOptions, 'dataDir' | 'databaseUrl'>): Promise<T> {
  return using(await openEmbedded(cmd, what, extra), fn);
}

async function using<S extends Store, T>(store: S, fn: (store: S) => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await fn(store);
  } catch (err) {
    // The command's own failure is the one to report; a close failure after it is noise.
    await store.close().catch(() => undefined);
    throw err;
  }
  await store.close();
  return result;
}
