/** verso's public surface: re-exports only. */
export { openStore, type OpenStoreOptions } from './sdk/openStore.js';
export { connect } from './sdk/remote/index.js';
export * from './errors/index.js';
export type * from './types.js';
