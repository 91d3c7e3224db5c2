/** The Git object store: the only layer that imports isomorphic-git. */
export { openSiteRepo } from './openSiteRepo.js';
export type { OpenSiteRepoArgs } from './openSiteRepo.js';
export { RefLockedError } from './errors.js';
export type { SiteRepo, CommitInfo, GitIdentity, TreeChange, ChangedPath, FileAtPath, CasResult, CommitOnRefArgs, CommitOnRefResult, TagInfo } from './types.js';
// Durability helper shared with backups (a rename is durable once its directory is fsynced).
export { fsyncDir } from './fsync.js';
