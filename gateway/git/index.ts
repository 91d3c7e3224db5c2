export { gitRouter, type GitRouterArgs } from './router.js';
export { GitMissingError, requireGitHttpBackend } from './requireGit.js';
