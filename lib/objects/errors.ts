export { RefLockedError } from '../errors/refLocked.js';
