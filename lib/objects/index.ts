/** The Git object store: the only layer that imports isomorphic-git. */
export { openSiteRepo } from './openSiteRepo.js';
export type { OpenSiteRepoArgs } from './openSiteRepo.js';
export { RefLockedError } from './errors.js';
export type { SiteRepo, CommitInfo, GitIdentity, TreeChange, ChangedPath, FileAtPath, CasResult, CommitOnRefArgs, CommitOnRefResult } from './types.js';
